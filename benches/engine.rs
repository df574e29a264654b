//! Criterion micro-benchmarks (`cargo bench`): loading the built-in card, parsing and
//! pricing a 100,000-step workflow, and a whole `compare`. Not part of `cargo test`.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark setup")]

use clap::Parser;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use stabcost::cli::Cli;
use stabcost::engine::{self, Workload};
use stabcost::rates::RateCard;
use stabcost::{pipeline, workflow};
use std::hint::black_box;

/// `core+rmbg+upscale-conservative+…` with `steps` steps.
fn expression(steps: usize) -> String {
    let names = [
        "core",
        "rmbg",
        "upscale-conservative",
        "sdxl@50*2",
        "0.25*ultra",
    ];
    names
        .iter()
        .cycle()
        .take(steps)
        .copied()
        .collect::<Vec<_>>()
        .join("+")
}

fn card(c: &mut Criterion) {
    c.bench_function("load built-in card", |b| {
        b.iter(|| RateCard::built_in().unwrap());
    });
}

fn workflows(c: &mut Criterion) {
    let card = RateCard::built_in().unwrap();
    let mut group = c.benchmark_group("workflow");
    for steps in [1_000usize, 10_000, 100_000] {
        let expr = expression(steps);
        group.throughput(Throughput::Elements(steps as u64));
        group.bench_with_input(BenchmarkId::new("parse", steps), &expr, |b, e| {
            b.iter(|| workflow::parse(black_box(e)).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("parse+price", steps), &expr, |b, e| {
            b.iter(|| {
                let steps = pipeline::compile(&card, black_box(e)).unwrap().steps;
                engine::price(
                    &card.billing,
                    &Workload {
                        steps,
                        count: 1_000,
                    },
                )
                .unwrap()
            });
        });
    }
    group.finish();
}

fn commands(c: &mut Criterion) {
    let mut group = c.benchmark_group("command");
    for (name, args) in [
        (
            "compare --images 15000",
            &["stabcost", "compare", "--images", "15000"][..],
        ),
        (
            "compare --format json",
            &[
                "stabcost", "compare", "--images", "15000", "--format", "json",
            ][..],
        ),
        (
            "quote ultra --count 2000",
            &["stabcost", "quote", "ultra", "--count", "2000"][..],
        ),
        (
            "rates --format json",
            &["stabcost", "rates", "--format", "json"][..],
        ),
    ] {
        let cli = Cli::try_parse_from(args).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(8192);
                stabcost::commands::run(black_box(&cli), &mut out, &mut std::io::sink()).unwrap();
                out
            });
        });
    }
    group.finish();
}

criterion_group!(benches, card, workflows, commands);
criterion_main!(benches);
