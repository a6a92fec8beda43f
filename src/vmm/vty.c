// SPDX-License-Identifier: MIT
/*
 * hvterm1: the PAPR virtual terminal (PAPR 14.5.4.5, H_PUT_TERM_CHAR and
 * H_GET_TERM_CHAR) on the machine's console, and its /vdevice/vty node.
 */
#include <libfdt.h>

#include "vmm/console.h"
#include "vmm/machine.h"

#define VTY_MAX_CHARS 16

/* r4 = vterm number, r5 = length (0..16), r6/r7 = bytes, first in the MSB */
static int64_t h_put_term_char(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
			       uint64_t *args)
{
	uint8_t buf[VTY_MAX_CHARS];
	uint64_t len = args[1];
	unsigned int i;

	if (args[0] != VTY_REG || len > VTY_MAX_CHARS)
		return H_PARAMETER;
	for (i = 0; i < len; i++)
		buf[i] = args[2 + i / 8] >> (56 - 8 * (i % 8));
	console_write(m->con, buf, len);
	return H_SUCCESS;
}

/* Returns r4 = count, r5/r6 = up to 16 bytes packed as for put */
static int64_t h_get_term_char(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
			       uint64_t *args)
{
	uint8_t buf[VTY_MAX_CHARS];
	size_t n, i;

	if (args[0] != VTY_REG)
		return H_PARAMETER;
	n = console_read(m->con, buf, sizeof(buf));
	args[0] = n;
	args[1] = 0;
	args[2] = 0;
	for (i = 0; i < n; i++)
		args[1 + i / 8] |= (uint64_t)buf[i] << (56 - 8 * (i % 8));
	return H_SUCCESS;
}

static int vty_fdt(struct machine *m, void *fdt)
{
	int vdev, node, ret;

	vdev = fdt_path_offset(fdt, "/vdevice");
	if (vdev < 0)
		return vdev;
	node = fdt_add_subnode(fdt, vdev, "vty@71000000");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "name", "vty")) ||
	    (ret = fdt_setprop_string(fdt, node, "device_type", "serial")) ||
	    (ret = fdt_setprop_string(fdt, node, "compatible", "hvterm1")) ||
	    (ret = fdt_setprop_u32(fdt, node, "reg", VTY_REG)))
		return ret;
	return 0;
}

int vty_init(struct machine *m)
{
	int ret;

	if ((ret = hcall_register(m, H_PUT_TERM_CHAR, h_put_term_char)) ||
	    (ret = hcall_register(m, H_GET_TERM_CHAR, h_get_term_char)) ||
	    (ret = machine_add_fdt_fn(m, vty_fdt)))
		return ret;
	machine_add_hypertas(m, "hcall-term");
	return 0;
}
