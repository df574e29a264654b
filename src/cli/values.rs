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
