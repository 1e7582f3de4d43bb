# monitor.mk - "make pictures": the lecture pictures of trap-and-emulate,
# drawn from a guest OS boot by vmlab and rendered by Graphviz's dot:
#
#   $(BUILD)/pictures/traps-bare.svg      mode transitions, bare machine
#   $(BUILD)/pictures/traps-vmm.svg       ... under the VMM, with its handlers
#   $(BUILD)/pictures/pagetable-bare.svg  the guest's page table at its first syscall
#   $(BUILD)/pictures/pagetable-vmm.svg   ... beside the VMM's shadow table
#
# with the .dot files they are rendered from, kept beside them (listed as
# targets, so make does not delete them as intermediates).  monitor/README.md
# ("Pictures") describes them.  Included by the top-level Makefile after
# guestos.mk (it needs the kernel and the disk image).
ifndef MONITOR_MK
MONITOR_MK := 1

PICTURES_DIR := $(BUILD)/pictures
PICTURES := $(patsubst %,$(PICTURES_DIR)/%.svg,traps-bare traps-vmm pagetable-bare pagetable-vmm)
PICTURES_KERNEL := $(BUILD)/guestos/kernel.elf
PICTURES_DISK := $(BUILD)/guestos/disk.img

.PHONY: pictures
pictures: $(PICTURES) $(PICTURES:.svg=.dot)

$(PICTURES_DIR)/%.svg: $(PICTURES_DIR)/%.dot
	dot -Tsvg $< -o $@

# The guest writes its disk: each run gets a copy.
$(PICTURES_DIR)/traps-%.dot: $(BUILD)/bin/vmlab $(PICTURES_KERNEL) $(PICTURES_DISK)
	@mkdir -p $(@D)
	cp $(PICTURES_DISK) $(@D)/disk-$*.img
	$(BUILD)/bin/vmlab run $(if $(filter bare,$*),--bare) --dot $@ $(PICTURES_KERNEL) \
		--disk $(@D)/disk-$*.img </dev/null >/dev/null
	rm -f $(@D)/disk-$*.img

$(PICTURES_DIR)/pagetable-%.dot: $(BUILD)/bin/vmlab $(PICTURES_KERNEL) $(PICTURES_DISK)
	@mkdir -p $(@D)
	cp $(PICTURES_DISK) $(@D)/disk-pt-$*.img
	printf 'catch syscall\ncontinue\ndot pagetable %s\n' $@ | $(BUILD)/bin/vmlab monitor \
		$(if $(filter bare,$*),--bare) $(PICTURES_KERNEL) --disk $(@D)/disk-pt-$*.img >/dev/null
	rm -f $(@D)/disk-pt-$*.img

endif
