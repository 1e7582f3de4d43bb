# dotlayout.awk - check a picture laid out by Graphviz for a slide: read
# the output of 'dot -Tjson' (one key a line) and report
#   - a drawing wider than MAXW points (default 960: 1280 px at dot's 96 dpi),
#   - two pieces of text (node, edge, cluster or graph labels, table cells)
#     whose boxes overlap,
#   - a piece of text over a node it does not belong to.
# A text's box: its width as dot measured it, from the baseline down by a
# quarter of the font size and up by three quarters.  Prints one line per
# fault, "NAME: ..." (NAME=the picture), and exits 1 if there is any.
#
#   dot -Tjson pic.dot | awk -v NAME=pic.dot -f tests/dotlayout.awk
function num(s) { sub(/^[^:]*:/, "", s); gsub(/[^0-9.eE+-]/, "", s); return s + 0 }
function strval(line) { sub(/^[^:]*: *"/, "", line); sub(/",? *$/, "", line); return line }
function overlap(a, b) {
	return tx0[a] + 0.5 < tx1[b] && tx0[b] + 0.5 < tx1[a] && ty0[a] + 0.5 < ty1[b] && ty0[b] + 0.5 < ty1[a]
}
BEGIN { if (MAXW == "") MAXW = 960; section = ""; nt = 0; nn = 0; owner = "graph"; size = 14 }
/^  "bb": / { split(strval($0), bb, ","); width = bb[3] - bb[1] }
/^  "objects": \[/ { section = "objects" }
/^  "edges": \[/ { section = "edges" }
# An object or an edge starts with its _gvid at six spaces.
/^      "_gvid": / {
	id = num($0)
	owner = section == "edges" ? "edge " id : "object " id
	isnode = 0
}
/^      "name": / && section == "objects" {
	name[owner] = strval($0)
	isnode = name[owner] !~ /^cluster/ && name[owner] !~ /^%/
}
/^      "tail": / { etail = num($0) }
/^      "head": / && section == "edges" { name[owner] = "edge " etail "->" num($0) }
/^      "pos": / && section == "objects" && isnode { split(strval($0), p, ","); nx[owner] = p[1]; ny[owner] = p[2] }
/^      "width": / && section == "objects" && isnode { nw[owner] = num($0) * 72 }
/^      "height": / && section == "objects" && isnode {
	nh[owner] = num($0) * 72
	nodes[++nn] = owner
}
/"op": "F"/ { inF = 1 }
/"size": / && inF { size = num($0); inF = 0 }
/"op": "T"/ { inT = 1 }
/"pt": / && inT { s = $0; sub(/.*\[/, "", s); split(s, p, ","); x = p[1] + 0; y = p[2] + 0 }
/"align": / && inT { align = strval($0) }
/"width": / && inT { w = num($0) }
/"text": / && inT {
	nt++
	tx0[nt] = align == "l" ? x : align == "r" ? x - w : x - w / 2
	tx1[nt] = tx0[nt] + w
	ty0[nt] = y - size / 4
	ty1[nt] = y + size * 3 / 4
	tt[nt] = strval($0)
	towner[nt] = owner
	inT = 0
}
END {
	bad = 0
	if (width > MAXW) {
		printf "%s: %g points wide, more than %g (%d px at 96 dpi)\n", NAME, width, MAXW, MAXW * 4 / 3
		bad = 1
	}
	for (a = 1; a <= nt; a++)
		for (b = a + 1; b <= nt; b++)
			if (overlap(a, b)) {
				printf "%s: text '%s' (%s) overlaps '%s' (%s)\n", NAME, tt[a], name[towner[a]],
					tt[b], name[towner[b]]
				bad = 1
			}
	for (i = 1; i <= nn; i++) {
		o = nodes[i]
		for (a = 1; a <= nt; a++) {
			if (towner[a] == o)
				continue
			if (tx0[a] + 0.5 < nx[o] + nw[o] / 2 && nx[o] - nw[o] / 2 + 0.5 < tx1[a] \
			    && ty0[a] + 0.5 < ny[o] + nh[o] / 2 && ny[o] - nh[o] / 2 + 0.5 < ty1[a]) {
				printf "%s: text '%s' (%s) lies on node %s\n", NAME, tt[a], name[towner[a]], name[o]
				bad = 1
			}
		}
	}
	exit bad
}
