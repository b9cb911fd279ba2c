#!/usr/bin/env bash
# The README's promises, run: every line of a ```sh block that starts
# with "irqsim " is run (in WORK, with traces/ beside it and the built
# irqsim first on the PATH) and must end with the exit status its
# "# exit N" comment states; a ```text block right after a ```sh block is
# the output of that block's commands (their standard output, in order):
# each of its lines must be an output line, in order, with "..." alone on
# a line for any number of lines left out and "..." inside a line for any
# text; a ```trace block is saved as NAME.trace (its "trace NAME" line)
# for the commands after it. The Quick start's commands must be
# ./dev demo and ./dev test, the latter what .ci/run runs.
# Usage: tests/docs/readme.sh BINDIR SRC WORK
set -euo pipefail
bindir=${1:?usage: readme.sh BINDIR SRC WORK}
src=${2:?}
work=${3:?}
readme=$src/README.md

rm -rf "$work"
mkdir -p "$work"
ln -s "$src/traces" "$work/traces"
export PATH=$bindir:$PATH
bad=0
ncmd=0
nout=0

fail() {
	echo "README.md:$*" >&2
	bad=1
}

# Does output line $2 match the README's line $1 ("..." is any text)?
line_matches() {
	local want=$1 got=$2 piece
	[[ $want == *"..."* ]] || { [ "$want" = "$got" ]; return; }
	local rest=$got first=1
	while :; do
		piece=${want%%...*}
		if [[ $want != *"..."* ]]; then
			# the last piece ends the line
			[[ $rest == *"$piece" ]]
			return
		fi
		want=${want#*...}
		if [ $first -eq 1 ]; then
			[[ $rest == "$piece"* ]] || return 1
			rest=${rest:${#piece}}
			first=0
		else
			[[ $rest == *"$piece"* ]] || return 1
			rest=${rest#*"$piece"}
		fi
	done
}

# Compare the output in file $2 with the README's block at line $1
# (its lines in file $3).
compare() {
	local at=$1 got want i=0 skip=0 w
	local -a have
	mapfile -t have < "$2"
	while IFS= read -r w; do
		w=${w%"${w##*[! ]}"}
		if [ "$w" = "..." ]; then
			skip=1
			continue
		fi
		while [ $i -lt ${#have[@]} ]; do
			got=${have[$i]%"${have[$i]##*[! ]}"}
			i=$((i + 1))
			if line_matches "$w" "$got"; then
				skip=0
				continue 2
			fi
			if [ $skip -eq 0 ]; then
				fail "$at: output differs: want '$w', got '$got'"
				return
			fi
		done
		fail "$at: output lacks '$w'"
		return
	done < "$3"
	if [ $skip -eq 0 ] && [ $i -lt ${#have[@]} ]; then
		fail "$at: output goes on past the README's last line: '${have[$i]}'"
	fi
}

fence=
info=
start=0
nr=0
last_sh=0	# line of the last ```sh block, while a ```text may follow
blank_since=1
block=$work/block
outs=$work/outs
: > "$outs"
qs_block=
in_qs=0

while IFS= read -r line || [ -n "$line" ]; do
	nr=$((nr + 1))
	if [ -z "$fence" ]; then
		if [[ $line =~ ^\`\`\`([a-z]*) ]]; then
			fence=1
			info=${BASH_REMATCH[1]}
			start=$nr
			: > "$block"
			[ "$info" = text ] || last_sh=0
			continue
		fi
		[[ $line =~ ^## ]] && { in_qs=0; [[ $line == "## Quick start" ]] && in_qs=1; }
		# prose between a ```sh block and its ```text block ends the pair
		[[ -n ${line// } ]] && last_sh=0
		continue
	fi
	if [[ $line != '```' ]]; then
		printf '%s\n' "$line" >> "$block"
		continue
	fi
	fence=
	case $info in
	sh)
		[ $in_qs -eq 1 ] && [ -z "$qs_block" ] && qs_block=$(cat "$block")
		: > "$outs"
		n=$start
		while IFS= read -r cmd; do
			n=$((n + 1))
			[[ $cmd == "irqsim "* ]] || continue
			ncmd=$((ncmd + 1))
			if [[ ! $cmd =~ \#\ exit\ ([0-9]+)[[:space:]]*$ ]]; then
				fail "$n: '$cmd' does not state its exit status (# exit N)"
				continue
			fi
			want=${BASH_REMATCH[1]}
			cmd=${cmd%%#*}
			rc=0
			(cd "$work" && bash -c "$cmd") > "$work/out" 2> "$work/err" ||
				rc=$?
			cat "$work/out" >> "$outs"
			if [ $rc -ne "$want" ]; then
				fail "$n: '$cmd' exited $rc, the README says $want"
				cat "$work/out" "$work/err" >&2
			fi
		done < "$block"
		last_sh=$start
		;;
	text)
		if [ $last_sh -ne 0 ]; then
			nout=$((nout + 1))
			compare "$start" "$outs" "$block"
		fi
		last_sh=0
		;;
	trace)
		name=$(awk '$1 == "trace" { print $2; exit }' "$block")
		if [ -z "$name" ]; then
			fail "$start: a trace block without a 'trace NAME' line"
		else
			cp "$block" "$work/$name.trace"
		fi
		;;
	esac
done < "$readme"

# The picture the tour shows is the run its explore found, as irqsim
# draws it now (after a renderer change: the command below, into docs/).
if grep -q '](docs/seed000-vfio-loss.svg)' "$readme"; then
	rc=0
	irqsim render "$work/loss.irqsim" --format svg -o "$work/as-found.svg" ||
		rc=$?
	if [ $rc -ne 1 ] || ! cmp -s "$work/as-found.svg" "$src/docs/seed000-vfio-loss.svg"; then
		fail "1: docs/seed000-vfio-loss.svg is not what 'irqsim render loss.irqsim --format svg' draws (exit $rc)"
	fi
fi

# The Quick start: ./dev demo, then ./dev test, which CI runs.
if [ "$qs_block" != "$(printf './dev demo\n./dev test')" ]; then
	fail "1: the Quick start's commands are not ./dev demo and ./dev test: '$qs_block'"
fi
grep -qx './dev test' "$src/.ci/run" ||
	fail "1: .ci/run does not run the Quick start's ./dev test"
for c in demo test; do
	grep -q "^$c)" "$src/dev" || fail "1: ./dev has no '$c' command"
done

if [ $ncmd -lt 5 ] || [ $nout -lt 3 ]; then
	fail "1: only $ncmd commands and $nout outputs found: is the parsing broken?"
fi
[ $bad -eq 0 ] && echo "readme.sh: $ncmd commands ran as stated, $nout outputs match"
exit $bad
