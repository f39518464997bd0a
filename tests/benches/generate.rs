//! Generation time against spec size: load → validate → lower → emit for synthetic specs of
//! 10, 100 and 1000 operations (in memory; writing files is not measured). Cost should grow
//! linearly: the time per operation should stay flat across the three sizes.

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

criterion_group!(benches, generate);
criterion_main!(benches);
