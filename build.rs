//! Compiles the built-in rate card into the binary as Rust, so it is parsed once, here.
//!
//! The build validates `rates/stability.toml` with the same loader `--rates` uses (an
//! invalid built-in card fails the build) and writes `OUT_DIR/built_in_card.rs`, a
//! function that constructs the card directly. `src/rates.rs` includes it under the
//! `built_in_codegen` cfg this script sets.
#![allow(
    dead_code,
    unreachable_pub,
    reason = "the library's modules, compiled here for their loader only"
)]

#[path = "src/error.rs"]
mod error;
#[path = "src/money.rs"]
mod money;
#[path = "src/rates.rs"]
mod rates;

fn main() {
    for input in [
        "rates/stability.toml",
        "src/rates.rs",
        "src/money.rs",
        "src/error.rs",
    ] {
        println!("cargo::rerun-if-changed={input}");
    }
    println!("cargo::rustc-check-cfg=cfg(built_in_codegen)");
    // Errors name the file; the compiled card calls itself built-in, as users see it.
    let mut card = match rates::RateCard::parse(rates::BUILT_IN, "rates/stability.toml") {
        Ok(card) => card,
        Err(e) => {
            println!("cargo::error=the built-in rate card is invalid: {e}");
            std::process::exit(1);
        }
    };
    "built-in".clone_into(&mut card.provenance.origin);
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        println!("cargo::error=OUT_DIR is not set");
        std::process::exit(1);
    };
    let path = std::path::Path::new(&out_dir).join("built_in_card.rs");
    if let Err(e) = std::fs::write(&path, card.to_rust()) {
        println!("cargo::error=cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    println!("cargo::rustc-cfg=built_in_codegen");
    println!(
        "cargo::rustc-env=STABCOST_CARD_EFFECTIVE={}",
        card.provenance.effective
    );
}
