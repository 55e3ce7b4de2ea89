from atlctl.cli.main import entry

entry()
