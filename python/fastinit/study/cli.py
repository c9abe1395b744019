"""The ``fastinit`` command: ``run`` (the study and its report), ``sweep``, ``diagnose``,
``theory`` and the package locators. The flags are in ``cli_parser``."""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import fastinit as fi
from fastinit.export import write_csv, write_json
from fastinit.sweep import DEFAULT_INITS

from . import run as study_run
from .cli_checks import ArgumentError, check_arguments
from .cli_parser import build_parser, with_default_command
from .networks import build_network, init_description
from .params import study_parameters
from .tables import format_verdict_table, verdict_table


def _say(*a: Any) -> None:
    print(*a, flush=True)


def _header(fi: Any) -> str:
    info = fi.build_info()
    return (
        f"fastinit {fi.__version__} ({info['module']}, {info['simd']}), "
        f"{fi.get_num_threads()} threads"
    )


# ------------------------------------------------------------------------------------- run


def _run(args: argparse.Namespace) -> int:
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
    p = study_parameters(args.quick, **overrides)
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
    results = study_run.run_study(
        args.quick,
        seed=args.seed,
        progress=progress,
        critical=not args.no_critical,
        log=_say,
        **overrides,
    )
    sweep_seconds = time.perf_counter() - t0
    rows = verdict_table(results)
    _say(format_verdict_table(rows))
    _say(
        f"\n{len(results)} configurations in {sweep_seconds:.1f} s.  "
        "grad ratio = ||dL/dZ|| at layer 1 / at the output layer "
        "(> e^3 = 20.1 exploding, < e^-3 vanishing: depth beyond 6 depth scales)."
    )
    if args.no_report:
        return 0
    _say(f"\nWriting the report to {args.out} ...")
    out = study_run.write_report(
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


def _test_accuracy_lines(res: Any) -> str:
    """Per (scheme, activation, depth, width): the median test accuracy over the seeds and how
    many seeds diverged."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in res.records:
        key = (r["init"], r["activation"], r["depth"], r["width"])
        groups.setdefault(key, []).append(r)
    lines = ["", "test accuracy (median over seeds; diverged seeds):"]
    for (init, act, depth, width), rs in groups.items():
        acc = float(np.median([r["test_accuracy"] for r in rs]))
        div = sum(bool(r["diverged"]) for r in rs)
        lines.append(f"  {init:<16} {act:<12} depth {depth:<4} width {width:<5} {acc:6.3f}  {div}")
    return "\n".join(lines)


def _sweep(args: argparse.Namespace) -> int:
    grid = args.sigma_w is not None or args.sigma_b is not None
    inits = args.inits if args.inits is not None else ([] if grid else list(DEFAULT_INITS))
    t0 = time.perf_counter()
    _say(_header(fi))
    data: dict[str, Any] = {"classes": args.classes}
    if args.data:
        data = {"data": args.data, "epochs": args.epochs, "batch_size": args.batch_size}
    res = fi.sweep(
        init=inits,
        activation=args.activations,
        depth=args.depths,
        width=args.widths,
        seeds=args.seeds,
        steps=args.steps,
        threads=args.threads,
        batch=args.batch,
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
        **data,
    )
    _say(format_verdict_table(verdict_table(res)))
    if args.data:
        _say(_test_accuracy_lines(res))
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
    sizes = args.sizes
    g = fi.Generator(args.seed)
    gx, gw, gy, gd = g.spawn(4)
    dtype = np.dtype(args.dtype)
    X = fi.init.normal((args.batch, sizes[0]), dtype=dtype, generator=gx)
    sigma = {"std": args.std, "sigma_w": args.sigma_w, "sigma_b": args.sigma_b}
    net = build_network(
        args.init, args.activation, sizes, gw, output=args.output, dtype=dtype, X=X, **sigma
    )
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
    init_desc = init_description(args.init, args.activation, **sigma)
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
        write_csv(args.csv, d.layers)
        _say(f"wrote {args.csv}")
    if args.json:
        write_json(args.json, d.to_dict())
        _say(f"wrote {args.json}")
    return 0


# ----------------------------------------------------------------------------------- theory


def _theory(args: argparse.Namespace) -> int:
    th = fi.theory
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
            f"{'c*':>9}  {'chi_c':>9}  {'xi_c':>9}  phase"
        )
        _say(head)
        _say("  " + "-" * (len(head) - 2))
        for sw in sws:
            ds = th.depth_scales(act, sw, args.sigma_b, args.q0, **a_params)
            mark = "  <- critical" if crit is not None and abs(sw - crit) <= 1e-9 * crit else ""
            _say(
                f"  {sw:>10.6g}  {ds['q_star']:>10.4g}  {ds['chi1']:>10.4g}  "
                f"{ds['q_map_slope']:>10.4g}  {ds['xi_q']:>9.3g}  {ds['c_star']:>9.4g}  "
                f"{ds['chi_c']:>9.4g}  {ds['xi_c']:>9.3g}  "
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
        "ordered: vanishing; >1 chaotic: exploding); xi_q = -1/log F'(q*);\nc* = the stable fixed "
        "point of the correlation map at q* (1 unless chaotic), chi_c = its slope there, "
        "xi_c = -1/log chi_c\n(depth scales in layers; networks deeper than about 6 xi_c do not "
        "train)."
    )
    return 0


def version_line() -> str:
    """``fastinit 0.1.0 (_core_avx2, x86-64-v3, Eigen 3.4.1, gcc 12.2.0)``."""
    info = fi.build_info()
    build = [info.get("module"), info.get("simd_level"), f"Eigen {info.get('eigen_version')}"]
    build.append(info.get("compiler"))
    return f"fastinit {fi.__version__} ({', '.join(str(b) for b in build if b)})"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command of ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    p = build_parser()
    args = p.parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    if args.cmakedir:
        print(fi.get_cmake_dir())
        return 0
    if args.includes:
        print(f"-I{fi.get_include()}")
        return 0
    if args.version:
        print(version_line())
        return 0
    if args.command is None:
        args = p.parse_args(["run"])
    try:
        check_arguments(args)
    except ArgumentError as e:  # the command's usage line and a one-line message
        args.command_parser.print_usage(sys.stderr)
        print(f"fastinit {args.command}: error: {e}", file=sys.stderr)
        return 2
    if getattr(args, "threads", None) is not None:
        fi.set_num_threads(args.threads)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "diagnose":
            return _diagnose(args)
        if args.command == "theory":
            return _theory(args)
    except (ValueError, TypeError, OSError, MemoryError, OverflowError) as e:
        # what the checks cannot foresee (a full disk, a value the library refuses): one line
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"fastinit {args.command}: error: {first}", file=sys.stderr)
        return 2
    except ImportError as e:  # matplotlib (figures) or pandas missing
        print(
            f"fastinit {args.command}: error: {e}. The report needs the optional "
            "dependencies: pip install 'fastinit-nn[report]' (or run with --no-report)",
            file=sys.stderr,
        )
        return 1
    p.error(f"unknown command {args.command}")
    return 2


__all__ = ["format_layer_table", "main", "version_line"]
