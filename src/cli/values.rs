//! The value parsers of the command line's numbers, dates and limits: a bad value is
//! reported once, escaped and cut to a window, with what is wrong and what the argument
//! expects.

use crate::date::{Date, Month};
use crate::number::{self, NumberError};
use crate::plan::diff::Limit;
use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use std::ffi::OsStr;

pub(super) fn parse_limit(s: &str) -> Result<Limit, String> {
    Limit::parse(s)
}

pub(super) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
}

pub(super) fn parse_month(s: &str) -> Result<Month, String> {
    Month::parse(s)
}

/// `serve --listen`: an address and a port (`127.0.0.1:8080`, `[::1]:8080`), or
/// `localhost:PORT`.
pub(super) fn parse_listen(s: &str) -> Result<std::net::SocketAddr, String> {
    let loopback = s
        .strip_prefix("localhost:")
        .map(|port| format!("127.0.0.1:{port}"));
    loopback
        .as_deref()
        .unwrap_or(s)
        .parse()
        .map_err(|_| "an address and a port, such as 127.0.0.1:8080 or [::1]:8080".to_owned())
}

/// `serve --max-upload`: bytes, or a number with a unit: `256MiB`, `1GB`, `512k`.
pub(super) fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_lowercase();
    let scale: u64 = match unit.as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => {
            return Err(format!(
                "'{unit}' is not a unit: bytes, or KiB, MiB, GiB, KB, MB, GB"
            ));
        }
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|&n| n > 0)
        .ok_or_else(|| "a size greater than zero, such as 256MiB or 1GB".to_owned())
}

/// A number argument, parsed by [`money`]. A bad value is reported once, escaped and cut
/// to a window (clap's own message would echo it whole), with what is wrong and what
/// the argument expects.
#[derive(Clone)]
pub(super) struct Number<T> {
    parse: fn(&str) -> Result<T, NumberError>,
    expected: &'static str,
    /// The largest value, for a "too large" message, where there is one.
    largest: Option<&'static str>,
}

impl<T> Number<T> {
    pub(super) const fn new(
        parse: fn(&str) -> Result<T, NumberError>,
        expected: &'static str,
    ) -> Self {
        Number {
            parse,
            expected,
            largest: None,
        }
    }
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Number<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        (self.parse)(&text).map_err(|e| {
            let arg = arg.map_or_else(|| "the value".to_owned(), |a| format!("'{a}'"));
            let tail = match (e, self.largest) {
                (NumberError::TooLarge, Some(largest)) => format!("; the largest is {largest}"),
                _ => e.tail(self.expected),
            };
            let message = format!(
                "invalid value '{}' for {arg}: {}{tail}\n\nFor more information, try '--help'.\n",
                crate::text::echo(&text),
                e.phrase(),
            );
            clap::Error::raw(ErrorKind::ValueValidation, message).with_cmd(cmd)
        })
    }
}

/// `--count`, `--images`, `--users`, `--per-user`: a whole number of 0 or more.
pub(super) fn quantity() -> Number<u64> {
    Number {
        largest: Some("18,446,744,073,709,551,615"),
        ..Number::new(
            number::parse_whole,
            "a whole number of 0 or more, such as 15000",
        )
    }
}

/// `--steps`: a whole number of diffusion steps.
pub(super) fn steps() -> Number<u32> {
    Number {
        largest: Some("4,294,967,295"),
        ..Number::new(
            |s| u32::try_from(number::parse_whole(s)?).map_err(|_| NumberError::TooLarge),
            "a whole number of steps, such as 30",
        )
    }
}
