#!/bin/sh
# autograder.sh - Gradescope's autograder zip for one lab.
#
#   sh labs/tools/autograder.sh labs/labN OUTDIR     -> OUTDIR/labN.zip
#
# The zip holds, as Gradescope wants them at its root:
#   setup.sh        installs the build tools (Ubuntu image, run as root)
#                   and runs build.sh
#   build.sh        builds the tree once, as handed out (stubs in place):
#                   grading a submission then recompiles only the files it
#                   replaces, newer than the build (make's timestamps)
#   run_autograder  grades /autograder/submission into
#                   /autograder/results/results.json
#   tree/           the lab's handout tree WITH its hidden tests: the
#                   student's files (lab.conf "submit") are copied over the
#                   stubs, so a file left out of a submission grades as the
#                   stub (no points), never as the reference solution.
# run_autograder runs labs/tools/autograde.sh, which also runs locally:
#   sh labs/tools/autograde.sh labs/labN SUBMISSION_DIR results.json
. "$(dirname "$0")/common.sh"

[ $# -eq 2 ] || die "usage: autograder.sh labs/labN OUTDIR"
lab=${1%/}; name=${lab##*/}
mkdir -p "$2" || die "cannot create $2"
out=$(cd "$2" && pwd)
stage=$out/$name
rm -rf "$stage" "$out/$name.zip"
lab_valid "$lab" || exit 1
sh labs/tools/handout.sh --with-hidden "$lab" "$stage/tree" || exit 1
targets=$(lab_conf "$lab" build)

cat > "$stage/setup.sh" <<SETUP
#!/bin/sh
# Gradescope runs this once when it builds the autograder's image.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $LAB_BUILD_DEPS
sh "\$(dirname "\$0")/build.sh"
SETUP

cat > "$stage/build.sh" <<BUILD
#!/bin/sh
# Build the tree once, with the handout's stubs (setup.sh; labs-check).
cd "\$(dirname "\$0")/tree" || exit 1
exec \${MAKE:-make} -j"\$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" --no-print-directory BUILD=build $targets
BUILD

cat > "$stage/run_autograder" <<RUN
#!/bin/sh
# Gradescope runs this for each submission.  AUTOGRADER (default
# /autograder) holds source/ (this zip, built by setup.sh), submission/
# and results/; labs-check and tests/bench/labs.sh set it.
A=\${AUTOGRADER:-/autograder}
cd "\$A/source/tree" || exit 1
mkdir -p "\$A/results"
# The build step recompiles the submitted files only, on every core.
MAKEFLAGS="-j\$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)" && export MAKEFLAGS
exec sh labs/tools/autograde.sh $lab "\$A/submission" "\$A/results/results.json"
RUN
chmod +x "$stage/setup.sh" "$stage/build.sh" "$stage/run_autograder"

command -v zip >/dev/null 2>&1 || die "zip is not installed (.ci/deps installs it)"
(cd "$stage" && zip -q -r "$out/$name.zip" setup.sh build.sh run_autograder tree) || die "zip failed"
echo "autograder: ${out#$(pwd)/}/$name.zip"
