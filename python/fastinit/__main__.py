"""The ``fastinit`` command (also ``python -m fastinit``).

  fastinit run         the classic initialization study on built-in defaults: every scheme x
                       activation x depth, per-layer diagnostics, a verdict table
  fastinit --cmakedir  the folder of fastinitConfig.cmake (for find_package)
  fastinit --includes  -I flags for the headers
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import numpy as np

SCHEMES: dict[str, tuple[str, dict[str, float]]] = {
    "zeros": ("zeros", {}),
    "normal(0,1)": ("normal", {"std": 1.0}),
    "xavier_normal": ("xavier_normal", {}),
    "kaiming_normal": ("kaiming_normal", {"nonlinearity": "relu"}),
    "orthogonal": ("orthogonal", {}),
}


def _run(args: argparse.Namespace) -> int:
    import fastinit as fi

    depths = [int(d) for d in args.depths.split(",")]
    acts = args.activations.split(",")
    width, batch = args.width, args.batch
    if args.quick:
        depths, width, batch = [min(depths)], min(width, 64), min(batch, 64)
    print(f"fastinit {fi.__version__} ({fi.build_info()['module']}, {fi.build_info()['simd']}), "
          f"{fi.get_num_threads()} threads")
    print(f"One forward + backward pass per configuration: width {width}, batch {batch}, "
          f"Gaussian inputs, seed {args.seed}.\n")
    header = f"{'init':<16}{'activation':<12}{'depth':>6}  {'act std first→last':>22}  {'‖dL/dZ‖ in/out':>15}  verdict"
    print(header)
    print("-" * len(header))
    g = fi.Generator(args.seed)
    X = fi.init.normal((batch, width), dtype=np.float32, generator=g)
    t0 = time.perf_counter()
    for name, (init, kw) in SCHEMES.items():
        for act in acts:
            for depth in depths:
                net = fi.MLP([width] * depth + [10], activation=act, output="softmax",
                             init=init, init_kwargs=kw, generator=g.spawn(1)[0])
                d = fi.diagnose(net, X, generator=g.spawn(1)[0])
                hidden = d.layers[:-1] or d.layers
                a0, a1 = hidden[0]["a_std"], hidden[-1]["a_std"]
                gin, gout = d.layers[0]["grad_z_norm"], d.layers[-1]["grad_z_norm"]
                ratio = gin / gout if gout > 0 else float("nan")
                print(f"{name:<16}{act:<12}{depth:>6}  {a0:>9.3g} → {a1:<10.3g}  {ratio:>15.3g}  {d.verdict}")
    print(f"\n{len(SCHEMES) * len(acts) * len(depths)} configurations in {time.perf_counter() - t0:.2f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="fastinit", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cmakedir", action="store_true", help="print the CMake package folder and exit")
    p.add_argument("--includes", action="store_true", help="print -I flags for the headers and exit")
    p.add_argument("--version", action="store_true", help="print the version and build and exit")
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("run", help="the classic initialization study (default)")
    r.add_argument("--depths", default="10,50", help="comma-separated depths (default 10,50)")
    r.add_argument("--activations", default="sigmoid,tanh,relu,leaky_relu")
    r.add_argument("--width", type=int, default=256)
    r.add_argument("--batch", type=int, default=256)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--quick", action="store_true", help="small sizes, one depth (seconds)")
    args = p.parse_args(argv)

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
    if args.command in (None, "run"):
        if args.command is None:
            args = p.parse_args([*(argv or sys.argv[1:]), "run"])
        return _run(args)
    p.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
