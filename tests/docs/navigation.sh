#!/usr/bin/env bash
# Code navigation follows the model's calls (issue 24): a tags file
# (universal-ctags, reading the project's .ctags.d/) and a cscope database
# over src/ lead from a VFIO_DEVICE_SET_IRQS call through genirq into the
# vector domain, and from a device's raise to the guest driver's handler.
# The chains are the ones docs/architecture.md walks ("Following a
# call"); each function of a chain must be named there.
#
# Each hop starts where the last one ended, and says how it is made:
#   direct A B        A's definition (from tags) calls B(), and cscope
#                     finds the call (B among the functions A calls, or
#                     A among B's callers)
#   call A W B        A calls the typed wrapper W(); W's definition names
#                     fn_B, whose tag is IRQSIM_DEFINE_FN(B) (or _AS), and
#                     B's definition is found: a modeled function's call
#   id A B            A names fn_B (it pushes B's frame), fn_B as above
#   ptr A EXPR FIELD SETTER[<PASSER...] SUPPLIER B
#                     a call through a pointer, as the kernel's
#                     desc->handle_irq, irq_chip and action handler are:
#                     A's definition uses EXPR; cscope finds an
#                     assignment to FIELD in SETTER, which stores fn_B
#                     (SUPPLIER is SETTER) or one of SETTER's parameters
#                     (its call_ wrapper's, for a modeled function); each
#                     PASSER calls the one before it, passing the value
#                     on; SUPPLIER calls the last of them and names fn_B
#                     (a modeled function, as above) or B (a C function)
#   hw A B SHARED     no call: A writes SHARED (an IRR bit, a vIRR bit),
#                     and B, a transition the machine offers when SHARED
#                     is set, reads it
#   end B DIR         the chain ends in B, defined under DIR
#
# Exits 77 (ctest: skipped) when universal-ctags or cscope is missing.
# Usage: tests/docs/navigation.sh SRC WORK
set -euo pipefail
src=${1:?usage: navigation.sh SRC WORK}
work=${2:?usage: navigation.sh SRC WORK}

skip() {
	echo "SKIP: $*; ./dev installs universal-ctags and cscope (Debian packages of those names)"
	exit 77
}
command -v ctags >/dev/null || skip "no ctags"
ctags --version 2>/dev/null | grep -q "Universal Ctags" ||
	skip "ctags is not universal-ctags (it reads .ctags.d/ and gives end: fields)"
command -v cscope >/dev/null || skip "no cscope"

cd "$src"
mkdir -p "$work"
# From the source root, so that ctags reads .ctags.d/irqsim.ctags, as it
# does for anyone who runs ctags -R there.
ctags -R --fields=+ne -o "$work/tags" src
find src -name '*.[ch]' | LC_ALL=C sort >"$work/cscope.files"
# -c: uncompressed; cscope 15.9 lost callees in a compressed database
# after edits to files that sort before the function (architecture.md)
cscope -b -c -q -k -i "$work/cscope.files" -f "$work/cscope.out"

fail=0
bad() {
	echo "FAIL: $*" >&2
	fail=1
}

# Every function definition in the tags file: "file start end" by name,
# and how many definitions each name has.
declare -A where count
while IFS=$'\t' read -r name file start end; do
	where[$name]="$file $start $end"
	count[$name]=$((${count[$name]:-0} + 1))
done < <(awk -F'\t' '$4 == "f" {
	s = e = ""
	for (i = 5; i <= NF; i++) {
		if ($i ~ /^line:/) s = substr($i, 6)
		if ($i ~ /^end:/) e = substr($i, 5)
	}
	print $1 "\t" $2 "\t" s "\t" e
}' "$work/tags")

# "file start end" of the one function definition NAME in the tags file.
def() {
	if [ "${count[$1]:-0}" -ne 1 ]; then
		echo "no single definition of $1 in the tags file (${count[$1]:-0} found)" >&2
		return 1
	fi
	echo "${where[$1]}"
}

# The definition of function NAME, comments removed.
body() {
	local file start end
	read -r file start end < <(def "$1") || return 1
	[ -n "$end" ] || { echo "no end: field for $1" >&2; return 1; }
	sed -n "${start},${end}p" "$file" |
		perl -0777 -pe 's{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g'
}

# Does text $1 call $2 (a word followed by an opening parenthesis)?
calls() {
	[[ $1 =~ (^|[^A-Za-z0-9_])$2[[:space:]]*\( ]]
}

# Does text $1 name the word $2?
names() {
	[[ $1 =~ (^|[^A-Za-z0-9_])$2([^A-Za-z0-9_]|$) ]]
}

# The functions cscope says $1 calls, one a line.
cscope_callees() {
	cscope -d -f "$work/cscope.out" -L -2 "$1" </dev/null | awk '{ print $2 }'
}

# Does cscope find that $1 calls $2: among $1's callees, or $1 among $2's
# callers? cscope 15.9's callee search (-2) drops a function's calls at
# some database layouts, whatever the options (-q, -c): which function
# loses them moves as code is added anywhere before it (one unrelated
# function of 50 calls in src/cli/merge.c did it), while the caller
# search (-3) finds the same calls.
cscope_calls() {
	cscope_callees "$1" | grep -qx "$2" ||
		cscope -d -f "$work/cscope.out" -L -3 "$2" </dev/null |
			awk '{ print $2 }' | grep -qx "$1"
}

# The assignments to $1 that cscope finds in function $2, the value
# stored (the right-hand side) one a line: its assignment search, and its
# symbol search for a subscripted store (x[0] = y), which the assignment
# search does not report.
cscope_stores() {
	{
		cscope -d -f "$work/cscope.out" -L -9 "$1" </dev/null
		cscope -d -f "$work/cscope.out" -L -0 "$1" </dev/null
	} | FIELD=$1 FN=$2 perl -ne '
		my ($file, $fn, $line, $text) = split / /, $_, 4;
		next unless $fn eq $ENV{FN};
		print "$1\n" if $text =~ /\b\Q$ENV{FIELD}\E\b(?:\[[^]]*\])?\s*=(?!=)\s*([^;]*)/;
	' | sort -u
}

# The parameter list of function $1 (or of its wrapper call_$1: a modeled
# function's arguments are its wrapper's), up to the body.
params() {
	local f text
	for f in "$1" "call_$1"; do
		text=$(body "$f" 2>/dev/null) || continue
		perl -0777 -ne 'print "$1)\n" if /\((.*?)\)\s*\{/s' <<<"$text"
	done
}

# The modeled function B behind the id fn_B: its tag is the line
# IRQSIM_DEFINE_FN(B) or IRQSIM_DEFINE_FN_AS(B, ...), and B is defined.
modeled() {
	local line
	line=$(awk -F'\t' -v name="fn_$1" '$1 == name { print $3 }' \
		"$work/tags")
	if ! grep -Eq "IRQSIM_DEFINE_FN(_AS)?\($1[,)]" <<<"$line"; then
		bad "fn_$1: no tag at IRQSIM_DEFINE_FN($1) (.ctags.d/irqsim.ctags)"
		return 1
	fi
	def "$1" >/dev/null || { bad "$1: not defined"; return 1; }
}

hop_direct() {
	local a=$1 b=$2 text
	text=$(body "$a") || { bad "$a: not found"; return; }
	calls "$text" "$b" || bad "$a does not call $b()"
	def "$b" >/dev/null || bad "$b: not defined"
	cscope_calls "$a" "$b" ||
		bad "cscope does not find that $a calls $b"
}

hop_call() {
	local a=$1 w=$2 b=$3 text
	text=$(body "$a") || { bad "$a: not found"; return; }
	calls "$text" "$w" || bad "$a does not call $w()"
	cscope_calls "$a" "$w" ||
		bad "cscope does not find that $a calls $w"
	text=$(body "$w") || { bad "wrapper $w: not found"; return; }
	names "$text" "fn_$b" || bad "wrapper $w does not name fn_$b"
	modeled "$b" || true
}

hop_id() {
	local a=$1 b=$2 text
	text=$(body "$a") || { bad "$a: not found"; return; }
	names "$text" "fn_$b" || bad "$a does not name fn_$b"
	modeled "$b" || true
}

hop_ptr() {
	local a=$1 expr=$2 field=$3 path=$4 supplier=$5 b=$6
	local setter text prev p stores
	text=$(body "$a") || { bad "$a: not found"; return; }
	[[ $text == *"$expr"* ]] || bad "$a does not use $expr"
	IFS='<' read -r -a passers <<<"$path"
	setter=${passers[0]}
	stores=$(cscope_stores "$field" "$setter")
	[ -n "$stores" ] || bad "cscope finds no assignment to $field in $setter"
	# what is stored: fn_B itself, or one of the setter's parameters
	if [ "$supplier" = "$setter" ]; then
		names "$stores" "fn_$b" ||
			bad "$setter stores no fn_$b in $field"
	else
		local ok=0 w plist
		plist=$(params "$setter")
		for w in $(grep -Eo '[A-Za-z_][A-Za-z0-9_]*' <<<"$stores"); do
			NAME=$w perl -0777 -ne 'exit(/\b\Q$ENV{NAME}\E\s*[,)]/ ? 0 : 1)' \
				<<<"$plist" && ok=1
		done
		[ $ok -eq 1 ] ||
			bad "$setter stores none of its parameters in $field"
	fi
	prev=$setter
	for p in "${passers[@]:1}" "$supplier"; do
		[ "$p" = "$prev" ] && continue
		text=$(body "$p") || { bad "$p: not found"; return; }
		calls "$text" "$prev" || calls "$text" "call_$prev" ||
			bad "$p does not call $prev()"
		prev=$p
	done
	text=$(body "$supplier") || return
	if names "$text" "fn_$b"; then
		modeled "$b" || true
	elif names "$text" "$b"; then
		def "$b" >/dev/null || bad "$b: not defined"
	else
		bad "$supplier names neither fn_$b nor $b"
	fi
}

hop_hw() {
	local a=$1 b=$2 shared=$3 text
	text=$(body "$a") || { bad "$a: not found"; return; }
	[[ $text == *"$shared"* ]] || bad "$a does not write $shared"
	text=$(body "$b") || { bad "$b: not found"; return; }
	[[ $text == *"$shared"* ]] || bad "$b does not read $shared"
}

# The section of docs/architecture.md that walks the chains.
doc=$(awk '/^## Following a call/ { on = 1; next } /^## / { on = 0 } on' \
	docs/architecture.md)
[ -n "$doc" ] || bad "docs/architecture.md has no \"Following a call\" section"

documented() {
	names "$doc" "$2" ||
		bad "$1: docs/architecture.md (Following a call) does not name $2"
}

walk() {
	local chain=$1 at="" kind a to hops=0
	shift
	while read -r kind a rest; do
		case $kind in
		'' | '#'*) continue ;;
		end)
			read -r dir <<<"$rest"
			[ "$a" = "$at" ] || bad "$chain: ends in $at, not $a"
			local file
			read -r file _ < <(def "$a") || { bad "$a: not found"; continue; }
			[[ $file == "$dir"* ]] || bad "$chain: $a is in $file, not under $dir"
			echo "$chain: $hops hops, ends in $a ($file)"
			return
			;;
		esac
		[ -z "$at" ] || [ "$a" = "$at" ] ||
			bad "$chain: a hop from $a follows one that ended in $at"
		# shellcheck disable=SC2086
		set -- $rest
		case $kind in
		direct | call | id | ptr | hw) hop_$kind "$a" "$@" ;;
		*) bad "$chain: no kind of hop called $kind"; continue ;;
		esac
		# where the hop lands: the last word, but for hw the second
		case $kind in
		hw) to=$1 ;;
		*) to=${!#} ;;
		esac
		[ -n "$at" ] || documented "$chain" "$a"
		documented "$chain" "$to"
		at=$to
		hops=$((hops + 1))
	done
	bad "$chain: no end line"
}

walk set_irqs <<'EOF'
# QEMU's ioctl into vfio-pci
call   vfio_set_irqs call_vfio_pci_ioctl_set_irqs vfio_pci_ioctl_set_irqs
# vfio_pci_set_msi_trigger(), one vector at a time
call   vfio_pci_ioctl_set_irqs call_vfio_msi_set_block vfio_msi_set_block
call   vfio_msi_set_block call_vfio_msi_set_vector_signal vfio_msi_set_vector_signal
# into genirq: __setup_irq() activates the irq's domains
call   vfio_msi_set_vector_signal call_request_irq request_irq
call   request_irq call_irq_domain_activate_irq irq_domain_activate_irq
# irq_domain_ops.activate of the vector domain, root first
ptr    irq_domain_activate_irq chain->activate_fn activate_fn msi_init msi_init x86_vector_activate
direct x86_vector_activate assign_irq_vector_any_locked
direct assign_irq_vector_any_locked assign_vector_locked
# irq_matrix_alloc(), then vector_irq[cpu][vector] = desc
direct assign_vector_locked apic_update_vector
end    apic_update_vector src/apic/
EOF

walk raise <<'EOF'
# the device puts the message on the bus: the target CPU's IRR bit
direct pci_dev_raise msi_send
direct msi_send apic_msi_write
# the CPU takes the vector when the scheduler picks it (machine_fire())
hw     apic_msi_write apic_accept_interrupt lapic.irr
id     apic_accept_interrupt common_interrupt
# handle_irq(): genirq's entry, whose id irq_init() gives the apic layer
direct common_interrupt call_handle_irq
ptr    call_handle_irq fn_irq_entry fn_irq_entry apic_register_entry_fns<apic_init irq_init generic_handle_irq_desc
# desc->handle_irq, set when the MSI-X irq is allocated
ptr    generic_handle_irq_desc desc->handle_irq handle_irq irq_alloc_desc msix_setup_irq handle_edge_irq
# the action's handler, which vfio gave request_irq()
ptr    handle_edge_irq desc->action_fn action_fn request_irq vfio_msi_set_vector_signal vfio_msihandler
direct vfio_msihandler eventfd_signal
# the eventfd's wakeup: KVM's irqfd
ptr    eventfd_signal eventfd_wakeup( eventfd_wakeup vfio_init vmm_init vmm_irqfd_wakeup
direct vmm_irqfd_wakeup kvm_deliver_msi
# the vCPU takes the guest vector when the scheduler picks it
hw     kvm_deliver_msi machine_fire virr
id     machine_fire guest_irq_handler
end    guest_irq_handler src/vmm/
EOF

[ $fail -eq 0 ] || exit 1
echo "navigation: both chains followed by tags and cscope"
