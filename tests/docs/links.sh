#!/usr/bin/env bash
# Every relative link and anchor in README.md and docs/*.md resolves: the
# file or directory exists, and a #fragment names a heading of the page
# it points into, as GitHub makes anchors of headings (lower case, spaces
# to '-', punctuation dropped, -1, -2, ... for repeats). Links inside
# fenced code blocks and code spans are not links; http(s) and mailto
# links are not checked (the tests run offline).
# Usage: tests/docs/links.sh SRC
set -euo pipefail
src=${1:?usage: links.sh SRC}
cd "$src"

# The anchors of a Markdown file, one a line.
anchors() {
	awk '
	/^[ \t]*(```|~~~)/ { fence = !fence; next }
	fence { next }
	/^#+[ \t]/ && match($0, /^#+/) && RLENGTH <= 6 {
		h = $0
		sub(/^#+[ \t]+/, "", h)
		sub(/[ \t]+#*[ \t]*$/, "", h)
		# [text](url) -> text; code spans and emphasis marks go
		while (match(h, /\[[^]]*\]\([^)]*\)/)) {
			t = substr(h, RSTART + 1, RLENGTH)
			sub(/\].*/, "", t)
			h = substr(h, 1, RSTART - 1) t substr(h, RSTART + RLENGTH)
		}
		h = tolower(h)
		gsub(/[^a-z0-9 _-]/, "", h)
		gsub(/ /, "-", h)
		if (h in seen)
			print h "-" seen[h]++
		else {
			print h
			seen[h] = 1
		}
	}' "$1"
}

# The relative links of a Markdown file: "LINE TARGET", one a line.
links() {
	awk '
	/^[ \t]*(```|~~~)/ { fence = !fence; next }
	fence { next }
	{
		l = $0
		gsub(/`[^`]*`/, "", l)
		while (match(l, /\]\([^) \t]+([ \t]+"[^"]*")?\)/)) {
			t = substr(l, RSTART + 2, RLENGTH - 3)
			sub(/[ \t].*/, "", t)
			l = substr(l, RSTART + RLENGTH)
			if (t !~ /^(https?|mailto):/)
				print NR, t
		}
	}' "$1"
}

bad=0
nlinks=0
for f in README.md docs/*.md; do
	dir=$(dirname "$f")
	while read -r line target; do
		nlinks=$((nlinks + 1))
		path=${target%%#*}
		frag=
		[[ $target == *"#"* ]] && frag=${target#*#}
		if [ -z "$path" ]; then
			to=$f
		else
			to=$dir/$path
		fi
		if [ ! -e "$to" ]; then
			echo "$f:$line: $target: no such file ($to)" >&2
			bad=1
			continue
		fi
		[ -n "$frag" ] || continue
		if [[ $to != *.md ]]; then
			echo "$f:$line: $target: an anchor into a file that is not Markdown" >&2
			bad=1
		elif ! anchors "$to" | grep -qxF -- "$frag"; then
			echo "$f:$line: $target: no heading of $to has the anchor #$frag" >&2
			bad=1
		fi
	done < <(links "$f")
done
if [ $nlinks -lt 20 ]; then
	echo "links.sh: only $nlinks links found: is the link pattern broken?" >&2
	bad=1
fi
[ $bad -eq 0 ] && echo "links.sh: $nlinks relative links resolve"
exit $bad
