#!/usr/bin/env bash
# Why meta-training fell short of VeLO's 1.5× on quadratics: one factor changed at a time from the
# previous configuration (PES, population 16, stepMult 0.01, outer Adam 3e-3, mean-log-loss objective,
# 300 iterations, pairs' truncations in phase), 2 seeds × 10 held-out tasks each (a screen, not the result; the result is
# examples/learned_speedup.ts with 5 seeds). Prints one JSON line per variant.
#   nice -n 10 bash examples/learned_ablation.sh > ablation.jsonl
set -euo pipefail
run() { npx tsx examples/learned_speedup.ts --task quadratic --seeds 2 --held 10 --json "$@" 2>/dev/null; }
OLD=(--population 16 --step-mult 0.01 --lr 3e-3 --objective mean --stagger 0)
run "${OLD[@]}" --iterations 300
run "${OLD[@]}" --iterations 2000
run "${OLD[@]}" --iterations 2000 --population 64
run "${OLD[@]}" --iterations 2000 --step-mult 0.1
run "${OLD[@]}" --iterations 2000 --objective final
run "${OLD[@]}" --iterations 2000 --hidden 4,4
run "${OLD[@]}" --iterations 2000 --lr 1e-2
run "${OLD[@]}" --iterations 2000 --estimator es
run "${OLD[@]}" --iterations 2000 --truncation 50
run "${OLD[@]}" --iterations 2000 --stagger 1
run --iterations 2000 --population 32 --step-mult 0.1 --objective final
