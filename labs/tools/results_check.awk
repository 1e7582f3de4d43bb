# results_check.awk - check a results.json against Gradescope's autograder
# specification (gradescope-autograders.readthedocs.io, "Autograder
# Specifications", output format): valid JSON, an object whose fields are
# the specification's with their types and values, each test an object
# with the fields a test may have.  A field the specification does not
# define (a top-level "max_score") is an error.
#
#   LC_ALL=C awk -f results_check.awk results.json
#
# Exit status 0, or 1 with "FILE: message" lines.
function fail(msg) {
	printf "%s: %s\n", FILENAME == "" ? "results.json" : FILENAME, msg
	bad = 1
	exit 1
}
function ws() { while (index(" \t\n\r", substr(text, pos, 1)) && pos <= n) pos++ }
function str(    c, s, h, k) {	# a JSON string at pos; its value, escapes kept
	if (substr(text, pos, 1) != "\"") fail("a string expected at byte " pos)
	s = ""
	for (pos++; pos <= n; pos++) {
		if (match(substr(text, pos, 512), special) != 1) {	# skip plain bytes
			k = RSTART ? RSTART - 1 : length(substr(text, pos, 512))
			if (length(s) < 64) s = s substr(text, pos, k)
			pos += k - 1
			continue
		}
		c = substr(text, pos, 1)
		if (c == "\"") { pos++; return s }
		if (ord[c] < 32 && c != "") fail("a raw control character in a string at byte " pos)
		if (c == "\\") {
			c = substr(text, ++pos, 1)
			if (c == "u") {
				h = substr(text, pos + 1, 4)
				if (h !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) fail("a bad \\u escape at byte " pos)
				pos += 4; s = s "?"; continue
			}
			if (!index("\"\\/bfnrt", c) || c == "") fail("a bad escape at byte " pos)
		}
		s = s c
	}
	fail("an unterminated string")
}
function value(path,    c, k, i, m) {
	ws()
	c = substr(text, pos, 1)
	if (c == "{") {
		type[path] = "object"; pos++; ws()
		if (substr(text, pos, 1) == "}") { pos++; return }
		for (;;) {
			ws(); k = str(); ws()
			if ((path SUBSEP k) in type) fail("the field \"" k "\" twice")
			if (substr(text, pos, 1) != ":") fail("':' expected at byte " pos)
			pos++
			keys[path] = keys[path] SUBSEP k
			value(path SUBSEP k)
			ws(); c = substr(text, pos++, 1)
			if (c == "}") return
			if (c != ",") fail("',' or '}' expected at byte " (pos - 1))
		}
	}
	if (c == "[") {
		type[path] = "array"; pos++; ws(); i = 0
		if (substr(text, pos, 1) == "]") { pos++; len[path] = 0; return }
		for (;;) {
			value(path SUBSEP i++)
			ws(); c = substr(text, pos++, 1)
			if (c == "]") { len[path] = i; return }
			if (c != ",") fail("',' or ']' expected at byte " (pos - 1))
		}
	}
	if (c == "\"") { type[path] = "string"; val[path] = str(); return }
	if (match(substr(text, pos, 64), /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/)) {
		type[path] = "number"; val[path] = substr(text, pos, RLENGTH); pos += RLENGTH; return
	}
	for (m = 1; m <= 3; m++) {
		k = m == 1 ? "true" : m == 2 ? "false" : "null"
		if (substr(text, pos, length(k)) == k) {
			type[path] = m == 3 ? "null" : "boolean"; pos += length(k); return
		}
	}
	fail("a value expected at byte " pos)
}
# fields(PATH, SPEC, WHAT): PATH's fields are among SPEC ("name:type ...").
function fields(path, spec, what,    i, nk, ks, t, ok) {
	if (type[path] != "object") fail(what " is not an object")
	nk = split(substr(keys[path], 2), ks, SUBSEP)
	for (i = 1; i <= nk; i++) {
		if (!match(" " spec " ", " " ks[i] ":[a-z_]+ ")) fail(what ": \"" ks[i] "\" is not a field of Gradescope's format")
		t = substr(spec " ", RSTART + length(ks[i]) + 1)
		t = substr(t, 1, index(t, " ") - 1)
		ok = t == type[path SUBSEP ks[i]]
		if (t == "visibility") ok = val[path SUBSEP ks[i]] ~ /^(hidden|after_due_date|after_published|visible)$/
		if (t == "format") ok = val[path SUBSEP ks[i]] ~ /^(text|html|simple_format|md|ansi)$/
		if (t == "status") ok = val[path SUBSEP ks[i]] ~ /^(passed|failed)$/
		if (!ok) fail(what ": \"" ks[i] "\" is not a valid " t)
	}
}
BEGIN {
	for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
	special = "[\"\\\\" sprintf("%c", 1) "-" sprintf("%c", 31) "]"
}
{ text = text $0 "\n" }
END {
	if (bad) exit 1
	n = length(text); pos = 1
	value("")
	ws()
	if (pos <= n) fail("text after the JSON value at byte " pos)
	fields("", "score:number execution_time:number output:string output_format:format test_output_format:format test_name_format:format visibility:visibility stdout_visibility:visibility extra_data:object tests:array leaderboard:array", "the top level")
	nt = ("" SUBSEP "tests") in len ? len["" SUBSEP "tests"] : 0
	for (i = 0; i < nt; i++) {
		t = "" SUBSEP "tests" SUBSEP i
		fields(t, "score:number max_score:number status:status name:string name_format:format number:string output:string output_format:format tags:array visibility:visibility extra_data:object", "test " (i + 1))
		if (!(("" SUBSEP "score") in type) && !((t SUBSEP "score") in type))
			fail("test " (i + 1) ": no score, and no top-level score")
	}
	if (!(("" SUBSEP "score") in type) && nt == 0) fail("no score and no tests")
}
