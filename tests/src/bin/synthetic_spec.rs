//! Prints the synthetic RPC spec of `tests/src/synthetic.rs` with N operations (valid OpenAPI
//! 3 that other generators read too), for the generator comparison in `bench/compare.py`.
//!
//! ```sh
//! cargo run -p acsgen-tests --bin synthetic_spec -- 1000 > synthetic-1000.yaml
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(Ok(operations)) = std::env::args().nth(1).map(|n| n.parse::<usize>()) else {
        eprintln!("usage: synthetic_spec OPERATIONS");
        return ExitCode::from(2);
    };
    print!("{}", acsgen_tests::synthetic::spec(operations));
    ExitCode::SUCCESS
}
