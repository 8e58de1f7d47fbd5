"""The kernel a build and ``make notebooks`` run a notebook in: ipykernel's own, as
``python -m ipykernel_launcher`` starts it, without its debugger.

ipykernel imports debugpy as it makes its kernel, for the lab's debugger panel, which
attaches to a kernel a person is working in; a notebook run from start to end by
:mod:`dbanalysis.notebook.execute` is never debugged so, and the import was a third of
such a kernel's start (~0.1 s of CPU of ~0.3, every notebook of every build). ipykernel
without debugpy is a kernel it makes on purpose (``ipykernel.debugger`` catches the
``ImportError`` and leaves the debugger out); this module makes debugpy unimportable in
the kernel's process, which no setting of ipykernel's does, then starts ipykernel's
own application. Only ipykernel's own look is refused: debugpy is importable again once
``ipykernel.debugger`` has recorded it absent, so a notebook that imports it still can
(it then pays the import itself). The lab's kernels (the project's kernelspec,
:mod:`dbanalysis.notebook.lab`) keep the debugger.

The executor's kernelspec runs :func:`main` from ``python -c``, which takes the working
folder off ``sys.path`` before this package is imported
(:data:`dbanalysis.notebook.execute.KERNEL_ARGV`); ``python -m dbanalysis.notebook.kernel
-f CONNECTION_FILE`` runs it too, the package's own imports then looked for in the working
folder first.
"""

import os
import sys


def main() -> None:
    """Start ipykernel's kernel application (its arguments: ``sys.argv``) without debugpy."""
    # (run as -m) first, before the kernel's imports: the folder Python put first on the
    # path (the notebook's, the kernel's working folder) taken off, as ipykernel_launcher
    # does, so that a file there named as a module ipykernel imports (uuid.py) is not what
    # the kernel starts on; the kernel puts the folder back for the notebook, after the
    # standard library (IPython's init_path)
    if sys.path and (sys.path[0] == "" or os.path.realpath(sys.path[0]) == os.getcwd()):
        del sys.path[0]
    # None in sys.modules: `import debugpy` raises ImportError, as if it were not installed,
    # while ipykernel.debugger looks (it records the answer, and ipykernel asks it only);
    # then taken out again, for a notebook's own `import debugpy`
    if "debugpy" not in sys.modules:
        sys.modules["debugpy"] = None  # type: ignore[assignment]
        try:
            import ipykernel.debugger  # noqa: F401
        finally:
            del sys.modules["debugpy"]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
