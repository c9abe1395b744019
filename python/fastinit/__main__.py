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
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

_N = TypeVar("_N", int, float)

COMMANDS = ("run", "sweep", "diagnose", "theory")
_TOP_FLAGS = ("-h", "--help", "--cmakedir", "--includes", "--version")


def _say(*a: Any) -> None:
    print(*a, flush=True)


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


def _header(fi: Any) -> str:
    info = fi.build_info()
    return (
        f"fastinit {fi.__version__} ({info['module']}, {info['simd']}), "
        f"{fi.get_num_threads()} threads"
    )


# ------------------------------------------------------------------------------------- run


def _run(args: argparse.Namespace) -> int:
    import fastinit as fi
    from fastinit import report

    t0 = time.perf_counter()
    overrides = {
        "inits": args.inits,
        "activations": args.activations,
        "depths": args.depths,
        "width": args.width,
        "seeds": args.seeds,
        "batch": args.batch,
        "sigma_b": args.sigma_b,
        "epochs": args.epochs,
    }
    p = report.study_parameters(args.quick, **overrides)
    progress = False if args.no_progress else None
    _say(_header(fi))
    _say(
        f"{'Quick' if args.quick else 'Full'} study: {len(p['inits'])} schemes"
        f"{' + the critical sigma_w' if not args.no_critical else ''} x "
        f"{len(p['activations'])} activations x depths {','.join(map(str, p['depths']))}; "
        f"width {p['width']}, batch {p['batch']}, {p['seeds']} seed(s), base seed {args.seed}."
    )
    _say(
        "One forward + backward pass per configuration on Gaussian inputs; verdict = the most "
        "common over seeds.\n"
    )
    results = report.run_study(
        args.quick,
        seed=args.seed,
        progress=progress,
        critical=not args.no_critical,
        log=_say,
        **overrides,
    )
    sweep_seconds = time.perf_counter() - t0
    rows = report.verdict_table(results)
    _say(report.format_verdict_table(rows))
    _say(
        f"\n{len(results)} configurations in {sweep_seconds:.1f} s.  "
        "grad ratio = ||dL/dZ|| at layer 1 / at the output layer "
        "(>1e3 exploding, <1e-3 vanishing)."
    )
    if args.no_report:
        return 0
    _say(f"\nWriting the report to {args.out} ...")
    out = report.write_report(
        args.out,
        args.quick,
        results=results,
        sweep_seconds=sweep_seconds,
        seed=args.seed,
        progress=progress,
        train=not args.no_train,
        log=lambda s: _say("  " + s),
        **overrides,
    )
    _say("\nFiles:")
    for path in {**out["figures"], **out["files"]}.values():
        _say(f"  {path}")
    _say(f"\nDone in {time.perf_counter() - t0:.1f} s. Open {out['index']} in a browser.")
    return 0


# ------------------------------------------------------------------------------------ sweep


def _sweep(args: argparse.Namespace) -> int:
    import fastinit as fi
    from fastinit import report
    from fastinit.sweep import DEFAULT_INITS

    grid = args.sigma_w is not None or args.sigma_b is not None
    inits = args.inits if args.inits is not None else ([] if grid else list(DEFAULT_INITS))
    if not inits and not grid:
        raise SystemExit("fastinit sweep: error: --inits is empty")
    t0 = time.perf_counter()
    _say(_header(fi))
    res = fi.sweep(
        init=inits,
        activation=args.activations,
        depth=args.depths,
        width=args.widths,
        seeds=args.seeds,
        steps=args.steps,
        threads=args.threads,
        batch=args.batch,
        classes=args.classes,
        sigma_w=args.sigma_w,
        sigma_b=args.sigma_b,
        normal_std=args.normal_std,
        optimizer=args.optimizer,
        lr=args.lr,
        momentum=args.momentum,
        clip_norm=args.clip_norm,
        clip_value=args.clip_value,
        dtype=np.dtype(args.dtype),
        seed=args.seed,
        progress=False if args.no_progress else None,
    )
    _say(report.format_verdict_table(report.verdict_table(res)))
    _say(f"\n{len(res)} configurations in {time.perf_counter() - t0:.1f} s")
    for target in (args.csv, args.json, args.plot):
        if target:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
    if args.csv:
        path = res.to_csv(args.csv)
        _say(f"wrote {path} and {path.with_name(path.stem + '_layers.csv')}")
    if args.json:
        path = res.to_json(args.json)
        _say(f"wrote {path}")
    if args.plot:
        path = res.plot(args.plot, depth=args.plot_depth)
        _say(f"wrote {path}")
    return 0


# --------------------------------------------------------------------------------- diagnose

_DIAG_COLUMNS = (
    ("layer", "layer", "d"),
    ("activation", "act", "s"),
    ("z_std", "z std", ".3g"),
    ("q", "q", ".3g"),
    ("a_mean", "a mean", ".3g"),
    ("a_std", "a std", ".3g"),
    ("dead_frac", "dead", ".0%"),
    ("saturated_frac", "sat", ".0%"),
    ("grad_z_norm", "|dZ|", ".3g"),
    ("grad_w_norm", "|dW|", ".3g"),
    ("grad_w_ratio", "|dW|/|W|", ".3g"),
    ("w_row_similarity", "W rows cos", ".3f"),
)


def format_layer_table(layers: Sequence[dict[str, Any]]) -> str:
    """The per-layer table of a diagnosis, for the terminal."""
    cells = [[h for _, h, _ in _DIAG_COLUMNS]]
    for row in layers:
        line = []
        for key, _, spec in _DIAG_COLUMNS:
            v = row.get(key)
            if v is None:
                line.append("-")
            elif spec == "s":
                line.append(str(v))
            elif spec == "d":
                line.append(str(int(v)))
            elif isinstance(v, float) and not math.isfinite(v):
                line.append(str(v))
            else:
                line.append(format(v, spec))
        cells.append(line)
    widths = [max(len(r[i]) for r in cells) for i in range(len(_DIAG_COLUMNS))]
    text = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    text.insert(1, "-" * len(text[0]))
    return "\n".join(text)


def _diagnose(args: argparse.Namespace) -> int:
    import fastinit as fi
    from fastinit import report

    sizes = args.sizes
    if len(sizes) < 2:
        raise SystemExit("fastinit diagnose: error: --sizes needs an input and an output size")
    g = fi.Generator(args.seed)
    gx, gw, gy, gd = g.spawn(4)
    dtype = np.dtype(args.dtype)
    X = fi.init.normal((args.batch, sizes[0]), dtype=dtype, generator=gx)
    kw = report.mlp_init(
        args.init, args.activation, sigma_w=args.sigma_w, sigma_b=args.sigma_b, std=args.std
    )
    net = fi.MLP(
        sizes, activation=args.activation, output=args.output, dtype=dtype, generator=gw, **kw
    )
    if args.init == "lsuv":
        fi.init.lsuv_(net, X, orthogonal_init=False, generator=gw)
    y: np.ndarray | None = None
    if args.labels:
        k = sizes[-1]
        rng = np.random.default_rng(args.seed)
        if args.output == "softmax":
            y = rng.integers(0, k, args.batch).astype(np.int64)
        elif args.output == "sigmoid":
            y = (rng.random((args.batch, k)) < 0.5).astype(dtype)
        else:
            y = fi.init.normal((args.batch, k), dtype=dtype, generator=gy)
    d = fi.diagnose(net, X, y, generator=gd)
    init_desc = args.init
    if kw["init_kwargs"]:
        init_desc += " " + ", ".join(f"{k}={v}" for k, v in kw["init_kwargs"].items())
    if args.init in ("sigma", "critical"):
        init_desc = f"sigma: W ~ N(0, {args.sigma_w:g}^2 / fan_in), b ~ N(0, {args.sigma_b:g}^2)"
    _say(_header(fi))
    _say(
        f"{net!r}\ninit: {init_desc}\ninput: {args.batch} x {sizes[0]} standard-normal; "
        + (
            "random targets"
            if y is not None
            else "backward pass from a standard-normal upstream gradient (no targets)"
        )
        + "\n"
    )
    _say(format_layer_table(d.layers))
    _say("")
    _say(d.explain())
    for target in (args.csv, args.json):
        if target:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
    if args.csv:
        import csv

        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(d.layers[0]))
            w.writeheader()
            w.writerows(d.layers)
        _say(f"wrote {args.csv}")
    if args.json:
        from fastinit.report import _clean

        with open(args.json, "w") as f:
            json.dump(_clean(d.to_dict()), f, allow_nan=False)
        _say(f"wrote {args.json}")
    return 0


# ----------------------------------------------------------------------------------- theory


def _theory(args: argparse.Namespace) -> int:
    from fastinit.report import _theory as load_theory

    th = load_theory()
    if th is None:
        print("fastinit theory: fastinit.theory is not available in this build", file=sys.stderr)
        return 1
    params: dict[str, float] = {}
    if args.negative_slope is not None:
        params["negative_slope"] = args.negative_slope
    for act in args.activation:
        a_params = params if act == "leaky_relu" else {}
        try:
            crit: float | None = th.critical_sigma_w(act, args.sigma_b, args.q0, **a_params)
        except ValueError as e:
            crit = None
            crit_msg = str(e)
        if args.sigma_w is not None:
            sws = list(args.sigma_w)
        else:  # 1 (Xavier), sqrt 2 (He for ReLU), 2 and the critical value, without near-twins
            sws = [1.0, math.sqrt(2.0), 2.0]
            if crit is not None:
                sws = [x for x in sws if abs(x - crit) > 1e-9 * crit] + [crit]
            sws.sort()
        _say(
            f"{act}, sigma_b = {args.sigma_b:g}, q0 = {args.q0:g}"
            + (f", {', '.join(f'{k}={v:g}' for k, v in a_params.items())}" if a_params else "")
        )
        if crit is not None:
            _say(f"  critical sigma_w (chi1 = 1, the edge of chaos): {crit:.6g}")
        else:
            _say(f"  no critical sigma_w: {crit_msg}")
        head = (
            f"  {'sigma_w':>10}  {'q*':>10}  {'chi1':>10}  {'dF/dq(q*)':>10}  {'xi_q':>9}  "
            f"{'xi_c':>9}  phase"
        )
        _say(head)
        _say("  " + "-" * (len(head) - 2))
        for sw in sws:
            ds = th.depth_scales(act, sw, args.sigma_b, args.q0, **a_params)
            mark = "  <- critical" if crit is not None and abs(sw - crit) <= 1e-9 * crit else ""
            _say(
                f"  {sw:>10.6g}  {ds['q_star']:>10.4g}  {ds['chi1']:>10.4g}  "
                f"{ds['q_map_slope']:>10.4g}  {ds['xi_q']:>9.3g}  {ds['xi_c']:>9.3g}  "
                f"{ds['phase']} ({ds['kind']} q*){mark}"
            )
        if args.depth:
            sw = sws[0]
            pr = th.predicted_log_slopes(act, sw, args.sigma_b, args.q0, args.depth, **a_params)
            _say(
                f"  predicted per layer at sigma_w = {sw:.6g}: q_l and the gradient factor "
                "||dL/dz_l|| / ||dL/dz_l+1|| = sqrt(chi(q_l))"
            )
            for layer, (q, c) in enumerate(zip(pr["q"], pr["chi"], strict=True), start=1):
                root = math.sqrt(c) if c >= 0 else float("nan")
                _say(f"    layer {layer:>3}: q = {q:<11.4g} sqrt(chi) = {root:.4g}")
        _say("")
    _say(
        "q*: fixed point of the length map F(q) = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2; "
        "chi1 = sigma_w^2 E[phi'(sqrt(q*) z)^2],\nthe per-layer factor of ||dL/dz||^2 (<1 "
        "ordered: vanishing; >1 chaotic: exploding); xi_q = -1/log F'(q*), xi_c = -1/log chi1 "
        "(depth scales in layers)."
    )
    return 0


# ------------------------------------------------------------------------------------ parser


class _DefaultsRawFormatter(
    argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter
):
    """Show defaults, keep the description's line breaks."""


def build_parser() -> argparse.ArgumentParser:
    from fastinit.sweep import DEFAULT_ACTIVATIONS, DEFAULT_INITS

    raw = argparse.RawDescriptionHelpFormatter
    Fmt = _DefaultsRawFormatter

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

    # run
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

    # sweep
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
    s.add_argument("--classes", type=int, default=10, help="output classes")
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

    # diagnose
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

    # theory
    t = sub.add_parser(
        "theory",
        formatter_class=Fmt,
        help="mean-field signal propagation: q*, chi1, critical sigma_w",
        description="Mean-field predictions for a wide network with W ~ N(0, sigma_w^2/fan_in), "
        "b ~ N(0, sigma_b^2): the fixed point q* of the pre-activation second moment, chi1 (the "
        "per-layer factor of the squared gradient norm), the depth scales xi_q and xi_c, the "
        "phase, and the critical sigma_w (chi1 = 1) for the given sigma_b.",
    )
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
    return p


def _with_default_command(argv: Sequence[str]) -> list[str]:
    """``fastinit [run options]`` means ``fastinit run [run options]``."""
    argv = list(argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in _TOP_FLAGS):
        return ["run", *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    p = build_parser()
    args = p.parse_args(_with_default_command(sys.argv[1:] if argv is None else argv))

    import fastinit as fi

    if args.cmakedir:
        print(fi.get_cmake_dir())
        return 0
    if args.includes:
        print(f"-I{fi.get_include()}")
        return 0
    if args.version:
        print(fi.__version__, fi.build_info())
        return 0
    if getattr(args, "threads", None) is not None:
        if args.threads < 1:
            p.error("--threads must be >= 1")
        fi.set_num_threads(args.threads)
    try:
        if args.command in (None, "run"):
            if args.command is None:
                args = p.parse_args(["run"])
            return _run(args)
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "diagnose":
            return _diagnose(args)
        if args.command == "theory":
            return _theory(args)
    except (ValueError, TypeError, OSError) as e:  # bad names, sizes, paths: a clean message
        print(f"fastinit {args.command}: error: {e}", file=sys.stderr)
        return 2
    except ImportError as e:  # matplotlib (figures) or pandas missing
        print(
            f"fastinit {args.command}: error: {e}. The report needs the optional "
            "dependencies: pip install 'fastinit[report]' (or run with --no-report)",
            file=sys.stderr,
        )
        return 1
    p.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
