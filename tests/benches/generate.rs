//! Generation time against spec size: load → validate → lower → emit for synthetic specs of
//! 10, 100 and 1000 operations (in memory; writing files is not measured). Cost should grow
//! linearly: the time per operation should stay flat across the three sizes.
//!
//! `diff/ecs` times `acsgen diff` on two real ECS releases (347 operations each): both
//! metadata files imported in memory, lowered, and compared.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for operations in [10usize, 100, 1000] {
        let text = acsgen_tests::synthetic::spec(operations);
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_with_input(BenchmarkId::from_parameter(operations), &text, |b, text| {
            b.iter(|| {
                let (krate, diagnostics) = acsgen::compile(Path::new("synthetic.yaml"), text);
                assert!(!acsgen::has_errors(&diagnostics), "{diagnostics:?}");
                let krate = krate.expect("compiles");
                acsgen::emit::emit(&krate).expect("renders").len()
            })
        });
    }
    group.finish();
}

fn diff(c: &mut Criterion) {
    let dir = acsgen_tests::workspace_root().join("tests/fixtures/history/ecs/2014-05-26");
    let old = dir.join("2025-03-08-7eb282c9.json");
    let new = dir.join("2025-05-17-0ab77609.json");
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.bench_function("ecs", |b| {
        b.iter(|| {
            let (old, _) = acsgen::diff::read_side(&old);
            let (new, _) = acsgen::diff::read_side(&new);
            acsgen::diff::compare_sides(&old.expect("old side"), &new.expect("new side")).len()
        })
    });
    group.finish();
}

criterion_group!(benches, generate, diff);
criterion_main!(benches);
