/* Rotate and shift (Power ISA 2.07 Book I 3.3.14): rlw*, rld*, slw/srw/sraw, sld/srd/srad. */
#include "insn.h"

int main(void)
{
	u64 x = 0x12345678UL, y = 0x0123456789abcdefUL;

	TR(X1("rlwinm %0,%4,8,0,31", x, 0), 0x34567812UL, "rlwinm.rotl");
	TR(X1("rlwinm %0,%4,8,0,31", 0xffffffff00000000UL | x, 0), 0x34567812UL,
	   "rlwinm.ignores-high");
	TR(X1("rlwinm %0,%4,0,28,3", x, 0), 0x1234567810000008UL, "rlwinm.wrap-mask");
	TR(X1("rlwinm %0,%4,4,24,31", x, 0), 0x81, "rlwinm.extract");
	TC(X1("rlwinm. %0,%4,0,0,0", 0x80000000UL, 0), 0x80000000UL, 0, GT, "rlwinm.rc");
	TR(X2F("rlwnm %0,%4,%5,0,31", x, 36, 0), 0x23456781UL, "rlwnm.low5");
	TR(XT("rlwimi %0,%2,16,8,15", 0xaaaaaaaaaaaaaaaaUL, x, 0), 0xaaaaaaaaaa78aaaaUL, "rlwimi");
	TR(XT("rlwimi %0,%2,0,28,3", 0, 0xabcd1234UL, 0), 0xabcd1234a0000004UL, "rlwimi.wrap");
	TR(X1("rldicl %0,%4,8,0", y, 0), 0x23456789abcdef01UL, "rldicl.rotl");
	TR(X1("rldicl %0,%4,0,48", y, 0), 0xcdefUL, "rldicl.clrl");
	TR(X1("rldicl %0,%4,4,60", y, 0), 0, "rldicl.extract");
	TR(X1("rldicr %0,%4,4,59", y, 0), 0x123456789abcdef0UL, "rldicr.sldi");
	TR(X1("rldicr %0,%4,0,7", y, 0), 0x0100000000000000UL, "rldicr.mask");
	TR(X1("rldic %0,%4,8,40", y, 0), 0xcdef00UL, "rldic");
	TR(X1("rldic %0,%4,60,60", 0x30UL, 0), 3, "rldic.wrap-mask");
	TR(X2F("rldcl %0,%4,%5,0", y, 68, 0), 0x123456789abcdef0UL, "rldcl.low6");
	TR(X2F("rldcr %0,%4,%5,31", y, 16, 0), 0x456789ab00000000UL, "rldcr");
	TR(XT("rldimi %0,%2,32,0", 0x1111111122222222UL, 0x33333333UL, 0), 0x3333333322222222UL,
	   "rldimi");
	TC(X1("rldicl. %0,%4,1,63", SMIN, 0), 1, 0, GT, "rldicl.rc");
	TR(X2("slw", 0xffffffffUL, 4, 0), 0xfffffff0UL, "slw");
	TR(X2("slw", 0x80000000UL, 1, 0), 0, "slw.out");
	TR(X2("slw", 1, 32, 0), 0, "slw.32");
	TR(X2("slw", 1, 0x41, 0), 2, "slw.low6");
	TR(X2("srw", 0xffffffff80000000UL, 31, 0), 1, "srw");
	TR(X2("srw", 0x80000000UL, 63, 0), 0, "srw.big");
	T(X2("sraw", 0xffffffff80000001UL, 1, 0), 0xffffffffc0000000UL, XER_CA, "sraw.ca");
	T(X2("sraw", 0x80000000UL, 1, XER_CA), 0xffffffffc0000000UL, 0, "sraw.no-ca");
	T(X2("sraw", 0x80000000UL, 40, 0), M1, XER_CA, "sraw.big-neg");
	T(X2("sraw", 0x7fffffffUL, 40, XER_CA), 0, 0, "sraw.big-pos");
	T(X2("sraw", 0x12345678UL, 4, XER_CA), 0x1234567UL, 0, "sraw.pos");
	T(X1("srawi %0,%4,4", 0x80000000UL, 0), 0xfffffffff8000000UL, 0, "srawi");
	T(X1("srawi %0,%4,4", 0x80000008UL, 0), 0xfffffffff8000000UL, XER_CA, "srawi.ca");
	T(X1("srawi %0,%4,0", 0xffffffffUL, XER_CA), M1, 0, "srawi.0");
	TC(X1("srawi. %0,%4,31", 0x80000000UL, 0), M1, 0, LT, "srawi.rc");
	TR(X2("sld", y, 4, 0), 0x123456789abcdef0UL, "sld");
	TR(X2("sld", y, 64, 0), 0, "sld.64");
	TR(X2("sld", y, 0x84, 0), 0x123456789abcdef0UL, "sld.low7");
	TR(X2("srd", y, 60, 0), 0, "srd");
	TR(X2("srd", M1, 63, 0), 1, "srd.63");
	TR(X2("srd", M1, 127, 0), 0, "srd.127");
	T(X2("srad", SMIN | 1, 1, 0), 0xc000000000000000UL, XER_CA, "srad.ca");
	T(X2("srad", SMIN, 1, XER_CA), 0xc000000000000000UL, 0, "srad.no-ca");
	T(X2("srad", SMIN, 64, 0), M1, XER_CA, "srad.64-neg");
	T(X2("srad", SMAX, 100, XER_CA), 0, 0, "srad.big-pos");
	T(X2("srad", M1, 0, XER_CA), M1, 0, "srad.0");
	T(X1("sradi %0,%4,63", M1, 0), M1, XER_CA, "sradi.63");
	T(X1("sradi %0,%4,32", y, XER_CA), 0x01234567UL, 0, "sradi.pos");
	T(X1("sradi %0,%4,4", 0xfffffffffffffff8UL, 0), M1, XER_CA, "sradi.ca");
	TC(X1("sradi. %0,%4,1", 0, XER_SO), 0, XER_SO, EQ | SO, "sradi.rc");
	return 0;
}
