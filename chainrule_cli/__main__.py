import sys

from chainrule_cli import python_too_old

if __name__ == "__main__":
    too_old = python_too_old(sys.version_info)
    if too_old:
        sys.stderr.write(too_old + "\n")
        raise SystemExit(2)
    from chainrule_cli.launch import entry

    entry()
