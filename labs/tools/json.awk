# json.awk - Gradescope's results.json from grade.sh's results.tsv.
#
#   LC_ALL=C awk -v dir=build/grade/labN -v title=... [-v notefile=F] \
#       -f json.awk results.tsv
#
# notefile: text added to the top-level "output" (the autograder's
# notes about the submission).
#
# What a student sees before the due date is Gradescope's visibility: each
# test has its own; the top level's governs the total "score" and is
# after_due_date when any test is not visible (the total would reveal the
# hidden tests' points), and the top-level "output" counts only the
# visible tests.  stdout_visibility is hidden: run_autograder's stdout has
# every test's result.  No field outside Gradescope's specification (no
# top-level max_score): results_check.awk checks that.
#
# results.tsv: name, score, max_score, status, group, flags, visibility,
# tab-separated, one test per line.  Each test's "output" is its log
# (dir/NAME.log, without the @score line), and for a failed test the end
# of its guest transcript (dir/NAME.out).  Strings are escaped for JSON:
# quotes, backslashes and control characters; well-formed UTF-8 (a
# compiler's quotes under a UTF-8 locale) passes through as it is, and
# any other byte >= 0x80 becomes \u00XX (read as Latin-1), so any guest
# output gives a valid file.
BEGIN {
	FS = "\t"
	for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
	n = 0; score = 0; max = 0; vscore = 0; vmax = 0; nhidden = 0; hmax = 0
}
# utf8len(s, i): the length of the well-formed UTF-8 sequence at s's byte
# i (RFC 3629: no overlong form, no surrogate, nothing above U+10FFFF), or
# 0 if there is none there.
function utf8len(s, i,    o, n, lo, hi, j, c) {
	o = ord[substr(s, i, 1)]; lo = 128; hi = 191
	if (o >= 194 && o <= 223) n = 2
	else if (o >= 224 && o <= 239) { n = 3; if (o == 224) lo = 160; if (o == 237) hi = 159 }
	else if (o >= 240 && o <= 244) { n = 4; if (o == 240) lo = 144; if (o == 244) hi = 143 }
	else return 0
	for (j = 1; j < n; j++) {
		c = ord[substr(s, i + j, 1)]
		if (c < lo || c > hi) return 0
		lo = 128; hi = 191
	}
	return n
}
function esc(s,    out, i, ch, o, k) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		ch = substr(s, i, 1); o = ord[ch]
		if (ch == "\"") out = out "\\\""
		else if (ch == "\\") out = out "\\\\"
		else if (ch == "\n") out = out "\\n"
		else if (ch == "\t") out = out "\\t"
		else if (o < 32 || o == 127) out = out sprintf("\\u%04x", o)
		else if (o < 127) out = out ch
		else if ((k = utf8len(s, i)) > 0) { out = out substr(s, i, k); i += k - 1 }
		else out = out sprintf("\\u%04x", o)
	}
	return out
}
function slurp(file, skip_score,    s, line, k) {
	s = ""
	while ((getline line < file) > 0) {
		if (skip_score && line ~ /^@score /) continue
		s = s line "\n"
	}
	close(file)
	return s
}
function tail(file, keep,    line, k, i, buf, s) {
	k = 0
	while ((getline line < file) > 0) buf[++k] = line
	close(file)
	s = (k > keep) ? "[... " (k - keep) " earlier lines]\n" : ""
	for (i = (k > keep ? k - keep + 1 : 1); i <= k; i++) s = s buf[i] "\n"
	return s
}
{
	out = slurp(dir "/" $1 ".log", 1)
	if ($4 != "passed") {
		t = tail(dir "/" $1 ".out", 40)
		if (t != "") out = out "\n--- guest transcript (end):\n" t
	}
	# Concatenation, not sprintf: mawk's sprintf stops at 8 KiB.
	tests[++n] = "    {\"name\": \"" esc($1) "\", \"score\": " ($2 + 0) ", \"max_score\": " ($3 + 0) \
		", \"status\": \"" $4 "\", \"visibility\": \"" esc($7) "\", \"output\": \"" esc(out) "\"}"
	score += $2; max += $3
	if ($7 == "visible") { vscore += $2; vmax += $3 } else { nhidden++; hmax += $3 }
}
END {
	if (nhidden)
		head = title ": " vscore " / " vmax " on the visible tests; " nhidden " more (" hmax \
			" points) graded but not shown yet\n"
	else
		head = title ": " score " / " max "\n"
	printf "{\n  \"score\": %s,\n", score + 0
	print "  \"output\": \"" esc(head (notefile != "" ? slurp(notefile, 0) : "")) "\","
	printf "  \"visibility\": \"%s\",\n  \"stdout_visibility\": \"hidden\",\n", nhidden ? "after_due_date" : "visible"
	printf "  \"tests\": [\n"
	for (i = 1; i <= n; i++) print tests[i] (i < n ? "," : "")
	printf "  ]\n}\n"
}
