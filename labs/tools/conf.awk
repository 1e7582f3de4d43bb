# conf.awk - the one parser of a lab's manifest, labs/labN/lab.conf
# (labs/README.md, "The manifest").  Every tool reads the manifest through
# it (common.sh: lab_conf, lab_tests).
#
#   awk -f conf.awk labs/labN/lab.conf
#
# Checks every line and prints the manifest as records, tab-separated:
#   title   TEXT
#   tag     LABN
#   submit  FILE FILE...
#   build   TARGET TARGET...
#   test    NAME POINTS GROUP FLAGS VISIBILITY LINE
# (LINE: the test's line in lab.conf, for handout.sh to drop hidden ones).
# Nothing is printed unless the whole manifest is right; each mistake is
# "labs/labN/lab.conf:LINE: message" on stderr, and the exit status is 1.
#
# Syntax: one directive per line, fields separated by blanks; a comment
# runs from a '#' at the start of a line or after a blank to the end of
# the line, on any line.  title, tag, submit and build appear once each,
# tests at least once.  The tag is LAB followed by the lab's number (the
# N of its folder labs/labN).  Files named by submit exist, relative to
# the tree's root (where the tools run).
BEGIN {
	file = ARGV[1]
	dir = file; sub(/\/?lab\.conf$/, "", dir)
	lab = dir; sub(/^.*\//, "", lab)
	num = lab; sub(/^lab/, "", num)
	nerr = 0; ntest = 0; nlines = 0
	split("visible hidden after_due_date after_published", v)
	for (i in v) visok[v[i]] = 1
	split("title tag submit build test", v)
	for (i in v) known[v[i]] = 1
}
function bad(msg) {
	printf "%s:%d: %s\n", file, FNR, msg > "/dev/stderr"
	nerr++
}
function exists(f,    r, line) {
	r = (getline line < f)
	close(f)
	return r >= 0
}
# once(KEY): KEY's first appearance; a second one is a mistake.
function once(key) {
	if (key in seen) { bad("a second '" key "' line (the first is line " seen[key] ")"); return 0 }
	seen[key] = FNR
	return 1
}
{
	line = $0
	sub(/^#.*/, "", line); sub(/[ \t]#.*$/, "", line)
	nf = split(line, f, /[ \t]+/)
	if (nf && f[1] == "") { for (i = 1; i < nf; i++) f[i] = f[i + 1]; nf-- }
	if (nf && f[nf] == "") nf--
	if (nf == 0) next
	d = f[1]
	if (!(d in known)) { bad("unknown directive '" d "' (title, tag, submit, build, test)"); next }
	if (d != "test" && !once(d)) next
	if (d != "test" && nf < 2) { bad("'" d "' needs a value"); next }
}
d == "title" {
	t = line; sub(/^[ \t]*title[ \t]+/, "", t); sub(/[ \t]+$/, "", t)
	rec["title"] = t
	next
}
d == "tag" {
	if (nf != 2) bad("tag takes one word, the marker tag (LAB" num ")")
	else if (f[2] != "LAB" num) bad("tag '" f[2] "': the tag of " lab " is LAB" num)
	else rec["tag"] = f[2]
	next
}
d == "submit" {
	s = ""
	for (i = 2; i <= nf; i++) {
		if (f[i] ~ /^\// || f[i] ~ /(^|\/)\.\.(\/|$)/) { bad("submit '" f[i] "': a path relative to the tree's root, without '..'"); continue }
		if (f[i] in sub_seen) { bad("submit '" f[i] "' twice"); continue }
		sub_seen[f[i]] = 1
		if (!exists(f[i])) { bad("submit '" f[i] "': no such file"); continue }
		s = s (s == "" ? "" : " ") f[i]
	}
	rec["submit"] = s
	next
}
d == "build" {
	s = ""
	for (i = 2; i <= nf; i++) {
		if (f[i] !~ /^[A-Za-z0-9_.\/-]+$/) { bad("build '" f[i] "': not a make target name"); continue }
		s = s (s == "" ? "" : " ") f[i]
	}
	rec["build"] = s
	next
}
d == "test" {
	if (nf != 5) { bad("test NAME POINTS GROUP FLAGS ('-' for no flags): " nf - 1 " fields"); next }
	name = f[2]; pts = f[3]; group = f[4]; flags = f[5]; ok = 1
	if (name !~ /^[A-Za-z0-9_]+$/) { bad("test name '" name "': letters, digits and '_' only"); ok = 0 }
	else if (name in tline) { bad("test '" name "' twice (the first is line " tline[name] ")"); ok = 0 }
	else if (!exists(dir "/tests/" name ".sh")) { bad("test '" name "': no script " dir "/tests/" name ".sh"); ok = 0 }
	if (pts !~ /^[0-9]+(\.[0-9]+)?$/ || pts + 0 <= 0) { bad("test " name ": points '" pts "': a positive number"); ok = 0 }
	if (group !~ /^[A-Za-z0-9_-]+$/) { bad("test " name ": group '" group "': letters, digits, '_' and '-' only"); ok = 0 }
	vis = "visible"; free = hidden = 0; nvis = 0
	if (flags != "-") {
		nfl = split(flags, fl, ",")
		for (i = 1; i <= nfl; i++) {
			g = fl[i]
			if (g == "free") free++
			else if (g == "hidden") { hidden++; if (!nvis) vis = "after_due_date" }
			else if (g ~ /^vis=/) {
				vv = substr(g, 5); nvis++
				if (!(vv in visok)) { bad("test " name ": visibility '" vv "' (visible, hidden, after_due_date, after_published)"); ok = 0 }
				vis = vv
			} else { bad("test " name ": unknown flag '" g "' (free, hidden, vis=V; '-' for none)"); ok = 0 }
		}
		if (free > 1 || hidden > 1 || nvis > 1) { bad("test " name ": a flag given twice in '" flags "'"); ok = 0 }
		if (free && hidden) { bad("test " name ": 'free' and 'hidden': a hidden test is not in the handout, so the handout cannot earn it"); ok = 0 }
	}
	tline[name] = FNR; nlines++
	if (ok) tests[++ntest] = name "\t" pts "\t" group "\t" flags "\t" vis "\t" FNR
	next
}
END {
	split("title tag submit build", k)
	for (i = 1; i <= 4; i++)
		if (!(k[i] in seen)) { printf "%s:%d: no '%s' line\n", file, (NR ? NR : 1), k[i] > "/dev/stderr"; nerr++ }
	if (!nlines) { printf "%s:%d: no 'test' line\n", file, (NR ? NR : 1) > "/dev/stderr"; nerr++ }
	if (nerr) exit 1
	print "title\t" rec["title"]
	print "tag\t" rec["tag"]
	print "submit\t" rec["submit"]
	print "build\t" rec["build"]
	for (i = 1; i <= ntest; i++) print "test\t" tests[i]
}
