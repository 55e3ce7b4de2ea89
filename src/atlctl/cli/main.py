"""Entry point: argv -> parsed action -> Context -> result printed; every error mapped to its exit
code here, in one place. Imports almost nothing at module level so `atlctl --version` starts fast."""

import sys


def main(argv=None, env=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        from atlctl.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if argv[:1] == ["--version"]:
        from atlctl import __version__

        (env.stdout if env else sys.stdout).write(f"atlctl {__version__}\n")
        return 0
    return _run(argv, env)


def _run(argv: list[str], env) -> int:
    from atlctl import errors
    from atlctl.console import Console
    from atlctl.environment import Environment

    env = env or Environment()
    debug = "--debug" in argv
    console = Console(env, debug=debug)
    try:
        _check_text(argv)
        return _dispatch(argv, env, console)
    except errors.AtlctlError as exc:
        if debug:
            _traceback(console)
        console.error(exc.line())
        return exc.exit_code
    except KeyboardInterrupt:
        console.error("Interrupted.")
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as a pipeline expects
        _silence_stdout(env)
        return 141
    except Exception as exc:  # a bug: say so plainly, the traceback only with --debug
        if debug:
            _traceback(console)
        console.error(f"Exception: {exc.__class__.__name__}: {exc}" + ("" if debug else " (run with --debug for details)"))
        return errors.UNEXPECTED


def _dispatch(argv, env, console) -> int:
    from atlctl.actions.parse import implied, parse
    from atlctl.cli.commands import GROUPS, run_group
    from atlctl.errors import ParameterError
    from atlctl.products import registry as products

    if argv[:1] == ["help"] and argv[1:]:
        return _help(argv[1:], env, console)
    if not argv or argv[0] in ("--help", "-h", "help"):
        from atlctl.cli import help as helptext

        if not argv:  # no command at all: usage on stderr, a parameter problem
            console.error(helptext.top().rstrip())
            return 254
        console.result(helptext.top())
        return 0
    if argv[0] == "completion":
        return _completion(argv[1:], console)
    if argv[0] in GROUPS:
        return run_group(argv[0], argv[1:], env, console)
    if argv[0].startswith("-"):
        raise ParameterError(f"Expected a product first (e.g. atlctl jira --action getServerInfo), got {argv[0]}.")
    config = None
    client = products.client_name(argv[0])
    if client is not None:  # a product, or another ACLI client name of one: atlctl jiracloud ...
        product, rest = client[0], implied(argv[1:], client[1])
    else:  # a profile name where ACLI puts a site shortcut: atlctl myjira getIssue ...
        from atlctl.credentials.config import Config

        config = Config.load(env)
        if argv[0] not in config.profiles:
            aliases = sorted(set(products.client_names()) - set(products.names()))
            raise ParameterError(f"Unknown product: {argv[0]}. Valid products: {', '.join(products.names())}; or a "
                                 f"profile: {', '.join(sorted(config.profiles)) or 'none yet (see atlctl auth login)'}."
                                 + (f" ACLI client names work too: {', '.join(aliases)}." if aliases else ""))
        rest = argv[1:]
        if any(arg == "--profile" or arg.startswith("--profile=") for arg in rest):
            raise ParameterError(f"Give the profile once: {argv[0]} or --profile.")
        product, rest = config.profiles[argv[0]].product, [*rest, "--profile", argv[0]]
    invocation = parse(product, rest)
    if invocation.help:
        from atlctl.cli import help as helptext

        deployment = invocation.values.get("deployment")
        text = (helptext.action(invocation.action, deployment) if invocation.action
                else helptext.product(invocation.product, deployment))
        console.result(text)
        return 0
    from atlctl.actions.context import Context, execute
    from atlctl.actions.render import render

    values = invocation.values
    console.configure(values.get("quiet"), values.get("verbose"), values.get("debug"))
    context = Context(env, console, config=config)
    try:
        result = execute(context, invocation.action, values)
        render(result, values, console, file_is_input=invocation.action.file_input)
    finally:
        context.close()
    return 0


def _completion(words: list[str], console) -> int:
    """`atlctl completion bash|zsh|fish`: the script that completes atlctl in that shell."""
    from atlctl.cli.completion import SHELLS, script
    from atlctl.errors import ParameterError

    if len(words) != 1 or words[0] not in SHELLS:
        raise ParameterError(f"Give the shell: atlctl completion {'|'.join(SHELLS)} (e.g. in ~/.bashrc: "
                             'eval "$(atlctl completion bash)").')
    console.result(script(words[0]))
    return 0


def _help(words: list[str], env, console) -> int:
    """`atlctl help common [PRODUCT]`, `atlctl help auth [PRODUCT]` (= `atlctl auth matrix`),
    `atlctl help PRODUCT [ACTION]` (= `atlctl PRODUCT [ACTION] --help`)."""
    from atlctl.errors import ParameterError
    from atlctl.products import registry as products

    if words[0] == "common":
        from atlctl.cli import help as helptext

        named = products.client_name(words[1]) if words[1:] else None
        if words[1:] and named is None:
            raise ParameterError(f"Unknown product: {words[1]}. Valid products: {', '.join(products.names())}.")
        console.result(helptext.common(named[0] if named else None))
        return 0
    if words[0] == "auth":
        from atlctl.cli.commands import run_group

        return run_group("auth", ["matrix", *words[1:]], env, console)
    return _dispatch([*words[:2], "--help"], env, console)


def _check_text(argv: list[str]) -> None:
    """Arguments that were not UTF-8 bytes (Python keeps them as lone surrogates) are refused up front,
    naming the option and never the value (it may be a secret)."""
    from atlctl.errors import ParameterError

    for index, arg in enumerate(argv):
        if any("\udc80" <= c <= "\udcff" for c in arg):
            before = argv[index - 1] if index else ""
            what = f"The value of {before}" if before.startswith("-") and not arg.startswith("-") else f"Argument {index + 1}"
            raise ParameterError(f"{what} is not valid UTF-8 text: give it in UTF-8 (check the terminal's or the "
                                 "script's encoding).")


def _silence_stdout(env) -> None:
    """Point a real stdout whose pipe closed at /dev/null, so Python's final flush does not complain."""
    import os

    if env.stdout is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _terminate(signum, frame):
    """SIGTERM unwinds like Ctrl-C, so sessions this process opened are still ended."""
    raise SystemExit(128 + signum)


def _traceback(console) -> None:
    import traceback

    console.error(traceback.format_exc().rstrip())


def entry() -> None:
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    import os

    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (atlctl completion SHELL)
        from atlctl.cli.completion import complete
        from atlctl.environment import Environment

        complete(Environment())
    sys.exit(main())
