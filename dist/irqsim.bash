# bash completion for irqsim(1)                       -*- shell-script -*-
# SPDX-License-Identifier: MIT
# Every name comes from the irqsim being completed, at completion time:
# commands, options (irqsim list options), knobs and their values
# (irqsim list knobs, irqsim list values KNOB), profiles, verdicts,
# formats and traces (irqsim list KIND --names), so they are always that
# build's.

# The names irqsim list $1 prints (irqsim at $_irqsim_bin).
_irqsim_names()
{
	"$_irqsim_bin" list "$@" --names 2>/dev/null
}

_irqsim()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		# KNOB=VALUE stays one word
		_init_completion -n = || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi
	local _irqsim_bin=${words[0]}
	local IFS=$'\n'

	if [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(_irqsim_names commands)" -- "$cur"))
		return
	fi
	# bash splits --set KNOB=VALUE at '=' (COMP_WORDBREAKS): put the
	# word back together: KNOB '=' [VALUE]
	local setting=
	if [ "$cur" = "=" ] && [ "$cword" -ge 3 ] &&
		[ "${words[cword - 2]}" = --set ]; then
		setting="${words[cword - 1]}="
	elif [ "$prev" = "=" ] && [ "$cword" -ge 4 ] &&
		[ "${words[cword - 3]}" = --set ]; then
		setting="${words[cword - 2]}=$cur"
	elif [ "$prev" = --set ] && [[ $cur == *=* ]]; then
		setting=$cur
	fi
	if [ -n "$setting" ]; then
		# the value only: readline completes the text after '='
		COMPREPLY=($(compgen -W "$(_irqsim_names values "${setting%%=*}")" \
			-- "${setting#*=}"))
		return
	fi

	# irqsim list options: NAME VALUE COMMANDS DOC; this command's
	local options
	options=$("$_irqsim_bin" list options 2>/dev/null |
		awk -v cmd="${words[1]}" \
			'index("," $3 ",", "," cmd ",") { print $1, $2 }')

	case $prev in
	--profile)
		COMPREPLY=($(compgen -W "$(_irqsim_names profiles)" -- "$cur"))
		return ;;
	--set)
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$(_irqsim_names knobs | sed 's/$/=/')" \
			-- "$cur"))
		return ;;
	--ignore)
		# KIND[:OBJECT],...: complete the last kind of the list
		local head=
		[[ $cur == *,* ]] && head=${cur%,*},
		COMPREPLY=($(compgen -P "$head" -W \
			"$(_irqsim_names verdicts | grep -vx none)" \
			-- "${cur##*,}"))
		return ;;
	--render | --format)
		COMPREPLY=($(compgen -W "$(_irqsim_names formats)" -- "$cur"))
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
			COMPREPLY=($(compgen -W "${value//|/$'\n'}" -- "$cur"))
		return
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(awk '{ print $1 }' <<<"$options")" \
			-- "$cur"))
		return
	fi
	case ${words[1]} in
	list)
		if [ "$cword" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$(printf '%s\n' commands knobs \
				values profiles ops directives verdicts windows \
				traces formats options)" -- "$cur"))
		elif [ "$cword" -eq 3 ] && [ "${words[2]}" = values ]; then
			COMPREPLY=($(compgen -W "$(_irqsim_names knobs)" -- "$cur"))
		fi
		return ;;
	help)
		[ "$cword" -eq 2 ] && COMPREPLY=($(compgen -W \
			"$(_irqsim_names commands)" -- "$cur"))
		return ;;
	run | explore | check)
		# a trace file, or the name of one irqsim knows
		COMPREPLY=($(compgen -f -X '!*.trace' -- "$cur")
			   $(compgen -d -- "$cur")
			   $(compgen -W "$(_irqsim_names traces)" -- "$cur")) ;;
	replay | render)
		COMPREPLY=($(compgen -f -X '!*.irqsim*' -- "$cur")
			   $(compgen -d -- "$cur")) ;;
	merge)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
} &&
	complete -F _irqsim irqsim
