# labs.mk - the course labs (labs/README.md), included by the top-level
# Makefile.  A lab is a folder labs/labN with a manifest, lab.conf.
#
#   make grade LAB=N [TEST=name,...] [JSON=results.json]   grade this tree
#   make handout LAB=N        the student tree: build/handout/labN/ and .tar.gz
#   make autograder LAB=N     Gradescope's zip: build/autograder/labN.zip
#   make labs-check [LABS="0 1"]  every lab: the reference earns full marks,
#                             the handout only the points that need no
#                             work, each mutant loses points; the
#                             autograder grades a submission
#
# The tools are POSIX sh and awk (labs/tools/); each builds what it needs.

LABS ?= $(patsubst labs/lab%/lab.conf,%,$(wildcard labs/lab*/lab.conf))
# In a student tree, its lab (labs/.handout, written by handout.sh).
LAB ?= $(patsubst lab%,%,$(strip $(file <labs/.handout)))
LAB_TOOLS := labs/tools

# A handout's later labs (labs/README.md, "Withheld labs"): labs/prebuilt/
# F.o, compiled from the reference by handout.sh, is linked in place of F.c,
# whose handout copy has those labs' regions stubbed.  No such folder in
# the repository.
LAB_PREBUILT := $(patsubst labs/prebuilt/%,%,$(shell find labs/prebuilt -name '*.o' 2>/dev/null))
$(foreach o,$(LAB_PREBUILT),$(eval $(BUILD)/obj/$(o): labs/prebuilt/$(o) ; @mkdir -p $$(@D) && cp labs/prebuilt/$(o) $$@))

.PHONY: grade handout autograder labs-check
define lab_required
@test -n "$(LAB)" && test -f labs/lab$(LAB)/lab.conf || \
	{ echo "usage: make $@ LAB=N, N one of: $(LABS)" >&2; exit 2; }
endef

grade:
	$(lab_required)
	@MAKE="$(MAKE)" BUILD="$(BUILD)" sh $(LAB_TOOLS)/grade.sh \
		$(if $(TEST),--test $(TEST)) $(if $(JSON),--json $(JSON)) labs/lab$(LAB)

handout:
	$(lab_required)
	sh $(LAB_TOOLS)/handout.sh labs/lab$(LAB) $(BUILD)/handout/lab$(LAB)
	tar -C $(BUILD)/handout -czf $(BUILD)/handout/lab$(LAB).tar.gz lab$(LAB)
	@echo "handout: $(BUILD)/handout/lab$(LAB)/ and $(BUILD)/handout/lab$(LAB).tar.gz"

autograder:
	$(lab_required)
	sh $(LAB_TOOLS)/autograder.sh labs/lab$(LAB) $(BUILD)/autograder

# The reference's tree starts from this tree's build (check.sh --seed):
# every lab builds "all" (a target of another lab's manifest is built in
# the copy).  Not from another build folder (SANITIZE=1's): its
# dependency files name that folder's objects, not the copy's build/.
labs-check: $(if $(filter build,$(BUILD)),all)
	@MAKE="$(MAKE)" sh $(LAB_TOOLS)/check.sh $(if $(filter build,$(BUILD)),--seed $(BUILD)) \
		$(BUILD)/labs-check $(LABS)
