# ppcvm: user-space PowerPC hypervisor. See README.md.
VERSION := 0.1.0
PREFIX ?= /usr/local
CC ?= cc
O := build

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
BASE_CFLAGS := -std=gnu11 -fPIC -pthread -Iinclude -Isrc \
	-DPPCVM_VERSION=\"$(VERSION)\" $(WARN)
LDLIBS := -pthread -lm

LIB_SRCS := $(sort $(wildcard src/cpu/*.c src/mmu/*.c src/core/*.c))
VMM_SRCS := $(sort $(wildcard src/vmm/*.c))
CLI_SRCS := $(sort $(wildcard cli/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))

LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
VMM_OBJS := $(VMM_SRCS:%.c=$(O)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(O)/%.o)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(O)/%.o)

# The sanitizer build of the library, VMM, CLI and unit tests
A := $(O)/asan
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
ALIB_OBJS := $(LIB_SRCS:%.c=$(A)/%.o)
AVMM_OBJS := $(VMM_SRCS:%.c=$(A)/%.o)
ACLI_OBJS := $(CLI_SRCS:%.c=$(A)/%.o)
AUNIT_OBJS := $(UNIT_SRCS:%.c=$(A)/%.o)

FDT_LIBS := -lfdt

.PHONY: all deps deps-test guests guests32 run-example test test-unit test-guest test-diff test-long \
	bench format install clean asan tsan examples demo test-linux check-layering

# deps first: a fresh Debian machine gets libfdt etc. before anything compiles
all: deps $(O)/libppcvm.a $(O)/libppcvm.so $(O)/ppcvm

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The library exports only the public API (PPCVM_API in include/ppcvm)
$(LIB_OBJS): BASE_CFLAGS += -fvisibility=hidden

$(A)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -MMD -MP -c $< -o $@

$(O)/libppcvm.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(O)/libppcvm.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libppcvm.so.0 -o $@ $^ $(LDLIBS)

$(O)/libvmm.a: $(VMM_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(O)/ppcvm: $(CLI_OBJS) $(O)/libvmm.a $(O)/libppcvm.a
	$(CC) -o $@ $(CLI_OBJS) $(O)/libvmm.a $(O)/libppcvm.a $(FDT_LIBS) $(LDLIBS)

$(O)/unit-tests: $(UNIT_OBJS) $(O)/libvmm.a $(O)/libppcvm.a
	$(CC) -o $@ $(UNIT_OBJS) $(O)/libvmm.a $(O)/libppcvm.a $(FDT_LIBS) $(LDLIBS)

$(A)/ppcvm: $(ACLI_OBJS) $(AVMM_OBJS) $(ALIB_OBJS)
	$(CC) $(SAN) -o $@ $^ $(FDT_LIBS) $(LDLIBS)

$(A)/unit-tests: $(AUNIT_OBJS) $(AVMM_OBJS) $(ALIB_OBJS)
	$(CC) $(SAN) -o $@ $^ $(FDT_LIBS) $(LDLIBS)

# Hostile-guest test of the 32-bit Book3S models (tests/robust32, run by make test)
$(O)/robust32: tests/robust32/robust32.c $(O)/libppcvm.a
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(O)/libppcvm.a $(LDLIBS)

$(A)/robust32: $(A)/tests/robust32/robust32.o $(ALIB_OBJS)
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)

asan: $(A)/ppcvm $(A)/unit-tests $(A)/robust32

# ThreadSanitizer build of the library and the slot/vCPU race tests
# (tests/unit/test_slots_race.c; run by make test: scripts/run-tests.sh)
T := $(O)/tsan
TSAN := -fsanitize=thread -fno-omit-frame-pointer
TLIB_OBJS := $(LIB_SRCS:%.c=$(T)/%.o)

$(T)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(TSAN) -MMD -MP -c $< -o $@

$(T)/slot-race: $(T)/tests/unit/test_slots_race.o $(T)/tests/unit/harness.o $(TLIB_OBJS)
	$(CC) $(TSAN) -o $@ $^ $(LDLIBS)

tsan: $(T)/slot-race

# The embedding example (examples/mmio_device.c), built against the public API only
$(O)/examples/%: examples/%.c $(O)/libppcvm.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(O)/libppcvm.a $(LDLIBS)

examples: $(O)/examples/mmio_device

# Host-side MMIO / IO bus / H_LOGICAL_CI_* benchmark (bench/run.sh)
$(O)/bench/iobus: bench/iobus.c $(O)/libppcvm.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(O)/libppcvm.a $(LDLIBS)

# Guest programs (cross-compiled; tests/guest/Makefile)
guests: deps-test
	@$(MAKE) -s -C tests/guest

# 32-bit Book3S guest programs (powerpc-linux-gnu-gcc; tests/guest32/Makefile)
guests32: deps-test
	@$(MAKE) -s -C tests/guest32

# The README's first command: build everything and boot the bundled guest
run-example: deps-test
	@$(MAKE) -s all
	@$(MAKE) -s -C tests/guest
	$(O)/ppcvm run --kernel tests/guest/out/be/hello.elf --timeout 60

# The whole suite: unit, guest (ppcvm and QEMU), differential, and the
# same unit and guest tests again under ASan+UBSan. One summary line.
test: deps-test
	@$(MAKE) -s all asan tsan examples $(O)/unit-tests
	@$(MAKE) -s -C tests/guest
	@$(MAKE) -s -C tests/guest32
	@scripts/run-tests.sh

test-long: deps-test
	@$(MAKE) -s all asan tsan examples $(O)/unit-tests
	@$(MAKE) -s -C tests/guest
	@$(MAKE) -s -C tests/guest32
	@PPCVM_LONG=1 scripts/run-tests.sh

# Boot Debian's ppc64el kernel to a busybox shell (downloads once, cached in
# ~/.cache/ppcvm; scripts/demo.sh)
demo: deps-test
	@$(MAKE) -s all
	@scripts/demo.sh

# Boot Debian's kernel, check uname, virtio-blk/rng, poweroff (slow; tests/linux)
test-linux: all
	@tests/linux/run.sh

bench: deps-test all $(O)/bench/iobus
	@$(MAKE) -s -C bench
	@bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check-layering:
	@scripts/check-layering.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/include/ppcvm $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(O)/libppcvm.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(O)/libppcvm.so $(DESTDIR)$(PREFIX)/lib/libppcvm.so.$(VERSION)
	ln -sf libppcvm.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libppcvm.so.0
	ln -sf libppcvm.so.0 $(DESTDIR)$(PREFIX)/lib/libppcvm.so
	install -m 755 $(O)/ppcvm $(DESTDIR)$(PREFIX)/bin/
	install -m 644 include/ppcvm/*.h $(DESTDIR)$(PREFIX)/include/ppcvm/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		ppcvm.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ppcvm.pc

clean:
	rm -rf $(O)
	@$(MAKE) -s -C tests/guest clean 2>/dev/null || true
	@$(MAKE) -s -C tests/guest32 clean 2>/dev/null || true

-include $(shell find $(O) -name '*.d' 2>/dev/null)
