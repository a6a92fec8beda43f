// SPDX-License-Identifier: MIT
/*
 * The epapr machine's power control: one 32-bit register that the device
 * tree describes as a "syscon" with "syscon-poweroff" and "syscon-reboot"
 * children (Linux's power/reset/syscon-poweroff.yaml and syscon-reboot.yaml:
 * regmap, offset, value), as QEMU's RISC-V virt machine does with its test
 * device. A big-endian store of the poweroff value ends ppcvm with status 0;
 * the reboot value boots the machine again. Reads return 0, so the
 * read-modify-write of regmap_update_bits always stores the value.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>

#include "vmm/epapr.h"

#define POWER_PHANDLE 1

static void power_read(void *opaque, uint64_t offset, uint8_t *data, uint32_t len)
{
	(void)opaque;
	(void)offset;
	for (uint32_t i = 0; i < len; i++)
		data[i] = 0;
}

static void power_write(void *opaque, uint64_t offset, const uint8_t *data, uint32_t len)
{
	struct machine *m = opaque;
	uint32_t v;

	if (offset == 0 && len == 4) {
		/* The node says "big-endian": bus order is the value's order */
		v = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 |
		    data[3];
		if (v == EPAPR_POWER_OFF_VALUE) {
			machine_request_stop(m, MACHINE_POWER_OFF);
			return;
		}
		if (v == EPAPR_POWER_REBOOT_VALUE) {
			machine_request_stop(m, MACHINE_RESET);
			return;
		}
	}
	if (!m->epapr->power_logged) {
		m->epapr->power_logged = true;
		fprintf(stderr,
			"ppcvm: power register: ignored %u-byte store at offset 0x%" PRIx64
			" (want 0x%x or 0x%x, 4 bytes at 0; logged once)\n",
			len, offset, EPAPR_POWER_OFF_VALUE, EPAPR_POWER_REBOOT_VALUE);
	}
}

int epapr_power_register(struct machine *m)
{
	static const struct ppcvm_iobus_ops ops = {
		.read = power_read,
		.write = power_write,
	};

	return ppcvm_iobus_register(m->vm, EPAPR_POWER_BASE, EPAPR_POWER_SIZE, &ops, m);
}

/* One child: compatible, regmap (older kernels) and the parent (newer ones) */
static int power_child(void *fdt, int parent, const char *name, const char *compat, uint32_t value)
{
	int node, ret;

	node = fdt_add_subnode(fdt, parent, name);
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "compatible", compat)) ||
	    (ret = fdt_setprop_u32(fdt, node, "regmap", POWER_PHANDLE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "offset", 0)) ||
	    (ret = fdt_setprop_u32(fdt, node, "value", value)))
		return ret;
	return 0;
}

int epapr_power_fdt(struct machine *m, void *fdt)
{
	static const char compat[] = "ppcvm,power\0syscon\0simple-mfd";
	uint32_t reg[2] = { cpu_to_fdt32(EPAPR_POWER_BASE), cpu_to_fdt32(EPAPR_POWER_SIZE) };
	char name[32];
	int node, ret;

	(void)m;
	snprintf(name, sizeof(name), "power@%llx", (unsigned long long)EPAPR_POWER_BASE);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	if ((ret = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat))) ||
	    (ret = fdt_setprop(fdt, node, "reg", reg, sizeof(reg))) ||
	    (ret = fdt_setprop_empty(fdt, node, "big-endian")) ||
	    (ret = fdt_setprop_u32(fdt, node, "reg-io-width", 4)) ||
	    (ret = fdt_setprop_u32(fdt, node, "phandle", POWER_PHANDLE)))
		return ret;
	/* fdt_add_subnode puts a node first: poweroff ends up before reboot */
	if ((ret = power_child(fdt, node, "reboot", "syscon-reboot", EPAPR_POWER_REBOOT_VALUE)) ||
	    (ret = power_child(fdt, node, "poweroff", "syscon-poweroff", EPAPR_POWER_OFF_VALUE)))
		return ret;
	return 0;
}
