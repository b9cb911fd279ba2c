# bash completion for irqsim(1)                       -*- shell-script -*-
# SPDX-License-Identifier: MIT
# Knob and profile names come from the irqsim being completed
# (irqsim list knobs|profiles), so they are always this build's.

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
	--strategy)
		COMPREPLY=($(compgen -W "random pct dfs dpor" -- "$cur"))
		return ;;
	-o | --save | --report)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--seed | --runs | --depth | --preemption-bound | --max-states | \
	--max-memory | --jobs | --shard | --frontier-depth)
		return ;;
	esac

	local opts=""
	case ${words[1]} in
	run)
		opts="--seed --schedule --profile --set --ignore --save --render -o" ;;
	explore)
		opts="--strategy --runs --seed --depth --preemption-bound
		      --max-states --max-memory --no-por --no-shrink --jobs --shard
		      --frontier-depth --report --json --profile --set --ignore
		      --save --render -o" ;;
	replay)
		opts="--allow-different --render -o" ;;
	render)
		opts="--format -o --allow-different" ;;
	check)
		opts="--runs --save" ;;
	list)
		[ "$cword" -eq 2 ] && COMPREPLY=($(compgen -W \
			"knobs profiles ops directives verdicts windows traces" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
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
