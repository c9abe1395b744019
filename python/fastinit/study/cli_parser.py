"""The fastinit command (also `python -m fastinit`).

  fastinit run        the classic weight-initialization study on built-in defaults (the default
                      command): zeros, N(0,1), Xavier, He, orthogonal, LSUV (and the critical
                      sigma_w of mean-field theory) x sigmoid, tanh, relu, leaky_relu x depths
                      10 and 50; a terminal verdict table, then a report folder with figures,
                      training runs on scikit-learn's digits, CSV / JSON tables and index.html
  fastinit sweep      any init x activation x depth x width x seed sweep (optionally trained);
                      verdict table, --csv / --json / --plot
  fastinit diagnose   one network on a random Gaussian batch: the per-layer table and verdict
  fastinit theory     mean-field predictions: q*, chi1, depth scales, the critical sigma_w
  fastinit --cmakedir the folder of fastinitConfig.cmake (for find_package)
  fastinit --includes -I flags for the headers
  fastinit --version  the version and the build

`fastinit COMMAND --help` describes each command's options.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TypeVar

from fastinit.sweep import DATASETS, DEFAULT_ACTIVATIONS, DEFAULT_INITS

_N = TypeVar("_N", int, float)

COMMANDS = ("run", "sweep", "diagnose", "theory")
_TOP_FLAGS = ("-h", "--help", "--cmakedir", "--includes", "--version")


def _number_list(convert: Callable[[str], _N], plural: str, one: str) -> Callable[[str], list[_N]]:
    """An argparse type: comma-separated numbers, at least one."""

    def parse(s: str) -> list[_N]:
        try:
            out = [convert(x) for x in s.split(",") if x.strip()]
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected comma-separated {plural}, got {s!r}"
            ) from None
        if not out:
            raise argparse.ArgumentTypeError(f"expected at least one {one}")
        return out

    return parse


_ints = _number_list(int, "integers", "integer")
_floats = _number_list(float, "numbers", "number")


def _names(s: str) -> list[str]:
    return [x.strip() for x in s.split(",") if x.strip()]


class _DefaultsRawFormatter(
    argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter
):
    """Show defaults, keep the description's line breaks."""


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``fastinit run``: a flat list of its flags (long: one call per flag)."""
    raw = argparse.RawDescriptionHelpFormatter
    r = sub.add_parser(
        "run",
        formatter_class=raw,
        help="the classic initialization study and its report (default)",
        description="The classic weight-initialization study on built-in defaults.\n\n"
        "1. A sweep: every scheme x activation x depth, one forward + backward pass each on "
        "Gaussian inputs;\n   a terminal table per (scheme, activation, depth): activation std "
        "of the first -> last hidden layer,\n   ||dL/dZ|| at layer 1 / at the output, and the "
        "verdict (healthy, vanishing, exploding, saturated,\n   dead, symmetric, nonfinite).\n"
        "   With fastinit.theory, also W ~ N(0, sigma_w*^2/fan_in) at each activation's critical "
        "sigma_w.\n"
        "2. The report folder (--out): depth profiles, activation histograms, training curves on "
        "scikit-learn's\n   digits with and without gradient clipping, the mean-field phase "
        "diagram, results.csv,\n   results_layers.csv, results.json, training.json and "
        "index.html.\n\n"
        "Full: 6 schemes x 4 activations x depths 10,50, width 256, 3 seeds (about a minute on 2 "
        "cores).\n--quick: depth 10, width 64, 1 seed, batch 64, shorter training (seconds).",
    )
    r.set_defaults(command_parser=r)
    r.add_argument(
        "--out",
        default="fastinit-report",
        metavar="DIR",
        help="the report folder (default: ./fastinit-report)",
    )
    r.add_argument(
        "--quick",
        action="store_true",
        help="small sizes: depth 10, width 64, 1 seed, batch 64, 3 training epochs",
    )
    r.add_argument(
        "--no-report",
        action="store_true",
        help="print the verdict table only (no figures, no training, no files)",
    )
    r.add_argument("--no-train", action="store_true", help="skip the training runs on digits")
    r.add_argument(
        "--no-critical",
        action="store_true",
        help="skip the sweep at the critical sigma_w of mean-field theory",
    )
    r.add_argument(
        "--inits",
        type=_names,
        default=None,
        metavar="A,B,...",
        help=f"schemes (default: {','.join(DEFAULT_INITS)})",
    )
    r.add_argument(
        "--activations",
        type=_names,
        default=None,
        metavar="A,B,...",
        help=f"hidden activations (default: {','.join(DEFAULT_ACTIVATIONS)})",
    )
    r.add_argument(
        "--depths",
        type=_ints,
        default=None,
        metavar="N,N,...",
        help="numbers of hidden layers (default: 10,50; --quick: 10)",
    )
    r.add_argument(
        "--width", type=int, default=None, help="hidden width (default: 256; --quick: 64)"
    )
    r.add_argument(
        "--batch",
        type=int,
        default=None,
        help="Gaussian input batch of each configuration (default: 128; --quick: 64)",
    )
    r.add_argument(
        "--seeds", type=int, default=None, help="seeds per configuration (default: 3; --quick: 1)"
    )
    r.add_argument(
        "--sigma-b",
        type=float,
        default=None,
        help="sigma_b of the critical-sigma_w sweep (default: 0.05)",
    )
    r.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="training epochs on digits (default: 10; --quick: 3)",
    )
    r.add_argument("--seed", type=int, default=0, help="base seed (default: 0)")
    r.add_argument(
        "--threads", type=int, default=None, help="threads of fastinit's pool (default: all cores)"
    )
    r.add_argument("--no-progress", action="store_true", help="no progress bars")


def _add_sweep(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``fastinit sweep``: a flat list of its flags (long: one call per flag)."""
    Fmt = _DefaultsRawFormatter
    s = sub.add_parser(
        "sweep",
        formatter_class=Fmt,
        help="a sweep of init x activation x depth x width x seed",
        description="Diagnose (and optionally train) every configuration of a cross product: a "
        "network of DEPTH hidden layers of WIDTH units, one hidden activation, a softmax output "
        "of CLASSES units, a Gaussian input batch and random labels; prints the verdict table "
        "(most common verdict over the seeds). With --sigma-w / --sigma-b, the `sigma` scheme "
        "(W ~ N(0, sigma_w^2/fan_in), b ~ N(0, sigma_b^2)) is swept over the grid; --inits then "
        "defaults to none besides it.",
    )
    s.set_defaults(command_parser=s)
    s.add_argument(
        "--inits",
        type=_names,
        default=None,
        metavar="A,B,...",
        help=f"schemes (default: {','.join(DEFAULT_INITS)}; none with a sigma grid); "
        "any of fastinit.sweep.SCHEMES",
    )
    s.add_argument(
        "--activations",
        type=_names,
        default=list(DEFAULT_ACTIVATIONS),
        metavar="A,B,...",
        help="hidden activations",
    )
    s.add_argument(
        "--depths", type=_ints, default=[10, 50], metavar="N,...", help="numbers of hidden layers"
    )
    s.add_argument("--widths", type=_ints, default=[256], metavar="N,...", help="hidden widths")
    s.add_argument("--seeds", type=int, default=5, help="seeds per configuration")
    s.add_argument(
        "--steps",
        type=int,
        default=0,
        help="full-batch training steps after the diagnosis (0: none)",
    )
    s.add_argument("--batch", type=int, default=128, help="batch size")
    s.add_argument(
        "--classes", type=int, default=10, help="output classes (--data: from the labels)"
    )
    s.add_argument(
        "--data",
        default=None,
        choices=DATASETS,
        help="train on this data set (held-out split, standardized) instead of the synthetic "
        "batch, and report test loss / accuracy",
    )
    s.add_argument("--epochs", type=int, default=10, help="training epochs with --data")
    s.add_argument("--batch-size", type=int, default=64, help="mini-batch rows with --data")
    s.add_argument(
        "--sigma-w",
        type=_floats,
        default=None,
        metavar="X,...",
        help="sigma_w grid of the `sigma` scheme",
    )
    s.add_argument(
        "--sigma-b",
        type=_floats,
        default=None,
        metavar="X,...",
        help="sigma_b grid of the `sigma` scheme",
    )
    s.add_argument("--normal-std", type=float, default=1.0, help="std of the `normal` scheme")
    s.add_argument(
        "--optimizer",
        default="sgd",
        choices=("sgd", "adam", "adamw"),
        help="optimizer of the training steps",
    )
    s.add_argument("--lr", type=float, default=0.01, help="learning rate")
    s.add_argument("--momentum", type=float, default=0.0, help="SGD momentum")
    clip = s.add_mutually_exclusive_group()
    clip.add_argument(
        "--clip-norm",
        type=float,
        default=None,
        help="clip the global gradient norm during training",
    )
    clip.add_argument(
        "--clip-value", type=float, default=None, help="clip gradient elements during training"
    )
    s.add_argument("--dtype", default="float32", choices=("float32", "float64"), help="dtype")
    s.add_argument("--seed", type=int, default=0, help="base seed")
    s.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    s.add_argument(
        "--csv",
        metavar="PATH",
        default=None,
        help="write the per-configuration table to PATH and the per-layer one to "
        "<stem>_layers.csv beside it",
    )
    s.add_argument("--json", metavar="PATH", default=None, help="write records and layers as JSON")
    s.add_argument(
        "--plot",
        metavar="PATH",
        default=None,
        help="write the depth-profile figure (PNG; needs matplotlib)",
    )
    s.add_argument(
        "--plot-depth",
        type=int,
        default=None,
        help="the depth shown by --plot (default: the deepest)",
    )
    s.add_argument("--no-progress", action="store_true", help="no progress bar")


def _add_diagnose(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``fastinit diagnose``: a flat list of its flags."""
    Fmt = _DefaultsRawFormatter
    d = sub.add_parser(
        "diagnose",
        formatter_class=Fmt,
        help="per-layer statistics and verdict of one network",
        description="Build one fastinit.MLP, run one forward and backward pass on a random "
        "standard-normal batch and print the per-layer table (pre-activation std and second "
        "moment q, activation mean / std, dead and saturated fractions, ||dL/dZ||, ||dW||, "
        "||dW||/||W||, similarity of the rows of W) and the explained verdict. Without --labels "
        "the backward pass starts from a standard-normal upstream gradient.",
    )
    d.set_defaults(command_parser=d)
    d.add_argument(
        "--sizes",
        type=_ints,
        default=[784, 256, 256, 256, 256, 10],
        metavar="N,N,...",
        help="layer sizes, input first, output last",
    )
    d.add_argument("--activation", default="relu", help="hidden activation")
    d.add_argument(
        "--init",
        default="kaiming_normal",
        help="weight initializer: any of fastinit.init.available(), or lsuv, or sigma "
        "(with --sigma-w / --sigma-b); kaiming_* and orthogonal use the "
        "activation's gain",
    )
    d.add_argument("--std", type=float, default=1.0, help="std of --init normal")
    d.add_argument("--sigma-w", type=float, default=1.0, help="sigma_w of --init sigma")
    d.add_argument("--sigma-b", type=float, default=0.0, help="sigma_b of --init sigma")
    d.add_argument(
        "--output",
        default="softmax",
        choices=("linear", "sigmoid", "softmax"),
        help="output activation (and loss)",
    )
    d.add_argument("--batch", type=int, default=256, help="batch size")
    d.add_argument(
        "--labels", action="store_true", help="backward pass from the loss on random targets"
    )
    d.add_argument("--dtype", default="float32", choices=("float32", "float64"), help="dtype")
    d.add_argument("--seed", type=int, default=0, help="seed")
    d.add_argument("--threads", type=int, default=None, help="threads (default: all cores)")
    d.add_argument("--csv", metavar="PATH", default=None, help="write the per-layer table as CSV")
    d.add_argument("--json", metavar="PATH", default=None, help="write the diagnosis as JSON")


def _add_theory(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``fastinit theory``: a flat list of its flags."""
    Fmt = _DefaultsRawFormatter
    t = sub.add_parser(
        "theory",
        formatter_class=Fmt,
        help="mean-field signal propagation: q*, chi1, critical sigma_w",
        description="Mean-field predictions for a wide network with W ~ N(0, sigma_w^2/fan_in), "
        "b ~ N(0, sigma_b^2): the fixed point q* of the pre-activation second moment, chi1 (the "
        "per-layer factor of the squared gradient norm), the depth scales xi_q and xi_c, the "
        "phase, and the critical sigma_w (chi1 = 1) for the given sigma_b.",
    )
    t.set_defaults(command_parser=t)
    t.add_argument(
        "--activation", type=_names, default=["tanh"], metavar="A,...", help="activation(s)"
    )
    t.add_argument(
        "--sigma-w",
        type=_floats,
        default=None,
        metavar="X,...",
        help="sigma_w value(s) (default: 1, sqrt 2, 2 and the critical sigma_w)",
    )
    t.add_argument("--sigma-b", type=float, default=0.0, help="sigma_b")
    t.add_argument("--q0", type=float, default=1.0, help="second moment of the input")
    t.add_argument(
        "--negative-slope",
        type=float,
        default=None,
        help="leaky_relu slope (default: PyTorch's 0.01)",
    )
    t.add_argument(
        "--depth",
        type=int,
        default=0,
        help="also print the predicted q_l and gradient factor of layers 1..DEPTH "
        "(at the first sigma_w)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``fastinit`` and its four commands."""
    raw = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="fastinit",
        description=__doc__,
        formatter_class=raw,
        epilog="Examples:\n  fastinit                       # = fastinit run\n"
        "  fastinit run --quick --out /tmp/report\n"
        "  fastinit sweep --inits xavier_normal,kaiming_normal --activations relu "
        "--depths 10,50 --csv r.csv\n"
        "  fastinit diagnose --sizes 784,256,256,10 --activation tanh --init xavier_normal\n"
        "  fastinit theory --activation tanh --sigma-w 1.5 --sigma-b 0.05",
    )
    p.add_argument(
        "--cmakedir", action="store_true", help="print the CMake package folder and exit"
    )
    p.add_argument(
        "--includes", action="store_true", help="print -I flags for the headers and exit"
    )
    p.add_argument("--version", action="store_true", help="print the version and build and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    _add_run(sub)
    _add_sweep(sub)
    _add_diagnose(sub)
    _add_theory(sub)
    return p


def with_default_command(argv: Sequence[str]) -> list[str]:
    """``fastinit [run options]`` means ``fastinit run [run options]``."""
    argv = list(argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in _TOP_FLAGS):
        return ["run", *argv]
    return argv


__all__ = ["COMMANDS", "build_parser", "with_default_command"]
