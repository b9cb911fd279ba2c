# bash completion for irqsim(1)                       -*- shell-script -*-
# SPDX-License-Identifier: MIT
# Option, knob and profile names come from the irqsim being completed
# (irqsim list options|knobs|profiles), so they are always this build's.

_irqsim()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local irqsim=${words[0]}
	local commands="run explore merge replay render check list help"
	local formats="text timeline dot svg png json"

	if [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return
	fi
	# irqsim list options: NAME VALUE COMMANDS DOC; this command's
	local options
	options=$("$irqsim" list options 2>/dev/null |
		awk -v cmd="${words[1]}" \
			'index("," $3 ",", "," cmd ",") { print $1, $2 }')

	case $prev in
	--profile)
		COMPREPLY=($(compgen -W "$("$irqsim" list profiles 2>/dev/null |
			awk '{print $1}')" -- "$cur"))
		return ;;
	--set)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$("$irqsim" list knobs 2>/dev/null |
			awk '{print $1 "="}')" -- "$cur"))
		return ;;
	--ignore)
		COMPREPLY=($(compgen -W "$("$irqsim" list verdicts 2>/dev/null |
			tail -n +2)" -- "$cur"))
		return ;;
	--render | --format)
		COMPREPLY=($(compgen -W "$formats" -- "$cur"))
		return ;;
	-o | --save | --report)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	# a value named a|b|c offers a, b and c; another value, nothing
	local value
	value=$(awk -v o="$prev" '$1 == o { print $2; exit }' <<<"$options")
	if [ -n "$value" ] && [ "$value" != "-" ]; then
		[[ $value == *"|"* ]] &&
			COMPREPLY=($(compgen -W "${value//|/ }" -- "$cur"))
		return
	fi

	case ${words[1]} in
	list)
		[ "$cword" -eq 2 ] && COMPREPLY=($(compgen -W \
			"knobs profiles ops directives verdicts windows traces options" \
			-- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(awk '{ print $1 }' <<<"$options")" \
			-- "$cur"))
		return
	fi
	case ${words[1]} in
	run | explore | check)
		COMPREPLY=($(compgen -f -X '!*.trace' -- "$cur") \
			   $(compgen -d -- "$cur")) ;;
	replay | render)
		COMPREPLY=($(compgen -f -X '!*.irqsim*' -- "$cur") \
			   $(compgen -d -- "$cur")) ;;
	merge)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
} &&
	complete -F _irqsim irqsim
