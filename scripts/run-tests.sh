#!/bin/sh
# Run every test suite and print one "PASS name" / "FAIL name" line per test,
# then a single summary line "N passed, N failed". Exit 1 if anything failed.
# PPCVM_LONG=1 runs the long variants (make test-long).
cd "$(dirname "$0")/.." || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# suite NAME PREFIX CMD...: run CMD, keep its PASS/FAIL lines (prefixed)
suite() {
	name=$1 prefix=$2
	shift 2
	if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
		echo "FAIL $name (missing: $1)" | tee -a "$log"
		return
	fi
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed' |
		sed -e "s|^PASS |PASS $prefix|" -e "s|^FAIL |FAIL $prefix|"
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL) ' |
		sed -e "s|^PASS |PASS $prefix|" -e "s|^FAIL |FAIL $prefix|" >>"$log"
	if ! printf '%s\n' "$out" | grep -q -E '^(PASS|FAIL|SKIP) '; then
		echo "FAIL $name (ran no test, exit $rc)" | tee -a "$log"
	elif [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^FAIL '; then
		echo "FAIL $name (exit status $rc)" | tee -a "$log"
	fi
}

suite unit "" build/unit-tests
suite unit-asan "asan/" build/asan/unit-tests
# slot changes and IO bus changes racing with running vCPUs, under TSan
suite tsan "tsan/" build/tsan/slot-race slots_race
# the embedding example (examples/mmio_device.c)
suite example "" build/examples/mmio_device
suite guest "" scripts/run-guest-tests.sh all
PPCVM=build/asan/ppcvm suite guest-asan "asan/" scripts/run-guest-tests.sh ppcvm
suite guest32 "" scripts/run-guest32-tests.sh all
PPCVM=build/asan/ppcvm suite guest32-asan "asan/" scripts/run-guest32-tests.sh ppcvm
suite diff "" scripts/run-diff-tests.sh
# random instruction words / MMU state on the 750 and 7447A, ASan+UBSan
suite robust32 "" tests/robust32/run.sh
suite cli "" tests/cli/run.sh
PPCVM=build/asan/ppcvm suite cli-asan "asan/" tests/cli/run.sh
suite layering "" scripts/check-layering.sh
suite install "" tests/install/run.sh
suite linux "" tests/linux/smoke.sh
LINUX_IF_CACHED=1 LINUX_TIMEOUT=120 suite linux-virtio "" tests/linux/run.sh
# the same disk/rng checks with 2 vCPUs and the PV interface off
LINUX_IF_CACHED=1 LINUX_TIMEOUT=120 LINUX_CPUS=2 LINUX_EXTRA=--no-pv \
	suite linux-virtio-smp-nopv "smp-nopv/" tests/linux/run.sh

passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
