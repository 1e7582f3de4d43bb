# guestos.mk - the guest OS's build, included by the top-level Makefile.
#
#   $(BUILD)/guestos/kernel.elf    the kernel (guestos/*.s, end.s last)
#   $(BUILD)/guestos/user/*.elf    the user programs, each linked with ulib.s
#                                  at GUESTOS_USER_BASE
#   $(BUILD)/guestos/mkdisk        host tool: user ELFs -> disk image
#   $(BUILD)/guestos/disk.img      the programs, in GUESTOS_PROGS order
#
# Run: $(BUILD)/bin/vmlab run --bare $(BUILD)/guestos/kernel.elf \
#          --disk $(BUILD)/guestos/disk.img
# PG32_ASFLAGS: more pg32-as options (the lab grader passes --include-root,
# so that a submitted guestos/*.s can include nothing outside the tree).

GUESTOS_USER_BASE := 0x40000000
GUESTOS_KSRCS := $(patsubst %,guestos/%.s,boot trap syscall proc vm disk console lib pv end)
GUESTOS_PROGS := hello counter sleeper memtest wrtext badload priv stackbomb echo badptr
GUESTOS_UELFS := $(patsubst %,$(BUILD)/guestos/user/%.elf,$(GUESTOS_PROGS))
GUESTOS_OUT   := $(BUILD)/guestos/kernel.elf $(BUILD)/guestos/disk.img

.PHONY: guestos
guestos: $(GUESTOS_OUT)
all: $(GUESTOS_OUT)
e2e: $(GUESTOS_OUT)

$(BUILD)/guestos/kernel.elf: $(GUESTOS_KSRCS) guestos/kernel.inc $(BUILD)/bin/pg32-as
	@mkdir -p $(@D)
	$(BUILD)/bin/pg32-as $(PG32_ASFLAGS) -o $@ $(GUESTOS_KSRCS)

$(BUILD)/guestos/user/%.elf: guestos/user/%.s guestos/user/ulib.s $(BUILD)/bin/pg32-as
	@mkdir -p $(@D)
	$(BUILD)/bin/pg32-as $(PG32_ASFLAGS) -Ttext $(GUESTOS_USER_BASE) -o $@ guestos/user/ulib.s $<

$(BUILD)/guestos/mkdisk: $(call obj,guestos/mkdisk.c) $(LIBISA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@

$(BUILD)/guestos/disk.img: $(BUILD)/guestos/mkdisk $(GUESTOS_UELFS)
	$(BUILD)/guestos/mkdisk -o $@ $(GUESTOS_UELFS)
