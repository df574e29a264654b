//! Tells the binary which date its built-in rate card is effective from, so `--version`
//! can say so as a compile-time constant. Only the `[card] effective` field is read;
//! the card itself is parsed and validated at run time by the loader `--rates` uses.

fn main() {
    const CARD: &str = "rates/stability.toml";
    println!("cargo::rerun-if-changed={CARD}");
    let effective = std::fs::read_to_string(CARD)
        .map_err(|e| e.to_string())
        .and_then(|text| text.parse::<toml::Table>().map_err(|e| e.to_string()))
        .and_then(|table| {
            table
                .get("card")
                .and_then(|card| card.get("effective"))
                .and_then(toml::Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| "no [card] effective date".to_owned())
        });
    match effective {
        Ok(date) => println!("cargo::rustc-env=STABCOST_CARD_EFFECTIVE={date}"),
        Err(e) => {
            println!("cargo::error=cannot read the built-in card {CARD}: {e}");
            std::process::exit(1);
        }
    }
}
