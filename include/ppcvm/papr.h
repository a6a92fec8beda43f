/* SPDX-License-Identifier: MIT */
/*
 * PAPR constants a VMM needs: hypercall numbers and return codes
 * (PAPR / Linux arch/powerpc/include/asm/hvcall.h values).
 */
#ifndef PPCVM_PAPR_H
#define PPCVM_PAPR_H

/* Return codes (r3) */
#define H_SUCCESS	   0
#define H_BUSY		   1
#define H_CLOSED	   2
#define H_NOT_AVAILABLE	   3
#define H_CONSTRAINED	   4
#define H_PARTIAL	   5
#define H_HARDWARE	   (-1)
#define H_FUNCTION	   (-2)
#define H_PRIVILEGE	   (-3)
#define H_PARAMETER	   (-4)
#define H_BAD_MODE	   (-5)
#define H_PTEG_FULL	   (-6)
#define H_NOT_FOUND	   (-7)
#define H_RESERVED_DABR	   (-8)
#define H_NO_MEM	   (-9)
#define H_AUTHORITY	   (-10)
#define H_PERMISSION	   (-11)
#define H_RESOURCE	   (-16)
#define H_P2		   (-55)
#define H_P3		   (-56)
#define H_P4		   (-57)
#define H_UNSUPPORTED_FLAG (-256)
#define H_TOO_HARD	   9999

/* Hypercall numbers (r3) */
#define H_REMOVE		  0x04
#define H_ENTER			  0x08
#define H_READ			  0x0c
#define H_CLEAR_MOD		  0x10
#define H_CLEAR_REF		  0x14
#define H_PROTECT		  0x18
#define H_SET_SPRG0		  0x24
#define H_SET_DABR		  0x28
#define H_PAGE_INIT		  0x2c
#define H_LOGICAL_CI_LOAD	  0x3c
#define H_LOGICAL_CI_STORE	  0x40
#define H_GET_TERM_CHAR		  0x54
#define H_PUT_TERM_CHAR		  0x58
#define H_EOI			  0x64
#define H_CPPR			  0x68
#define H_IPI			  0x6c
#define H_IPOLL			  0x70
#define H_XIRR			  0x74
#define H_REGISTER_VPA		  0xdc
#define H_CEDE			  0xe0
#define H_CONFER		  0xe4
#define H_PROD			  0xe8
#define H_BULK_REMOVE		  0x124
#define H_SET_XDABR		  0x134
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_XIRR_X		  0x2fc
#define H_RANDOM		  0x300
#define H_SET_MODE		  0x31c
#define MAX_HCALL_OPCODE	  0x450

/* Private range (QEMU/KVM) */
#define H_RTAS		       0xf000
#define KVMPPC_H_LOGICAL_MEMOP 0xf001
#define KVMPPC_H_CAS	       0xf002
#define KVMPPC_HCALL_MAX       0xf003

/* H_SET_MODE resources */
#define H_SET_MODE_RESOURCE_SET_CIABR	    1
#define H_SET_MODE_RESOURCE_SET_DAWR	    2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE		    4

/* RTAS status */
#define RTAS_OUT_SUCCESS       0
#define RTAS_OUT_HW_ERROR      (-1)
#define RTAS_OUT_PARAM_ERROR   (-3)
#define RTAS_OUT_NOT_SUPPORTED (-3)

#endif
