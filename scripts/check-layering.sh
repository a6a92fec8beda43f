#!/bin/sh
# DESIGN.md section 1: src/vmm and cli see the core only through the public
# API (include/ppcvm/). Any #include "..." of src/cpu, src/mmu or src/core
# from them is a layering break.
cd "$(dirname "$0")/.." || exit 1
bad=$(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(\.\./)*(cpu|mmu|core)/' \
	src/vmm/*.c src/vmm/*.h cli/*.c cli/*.h 2>/dev/null)
if [ -n "$bad" ]; then
	echo "FAIL layering/vmm-uses-public-api-only"
	echo "$bad"
	exit 1
fi
echo "PASS layering/vmm-uses-public-api-only"
