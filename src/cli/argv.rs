//! Turning a process's arguments into a [`Cli`]: clap, plus the two rules clap cannot
//! say, and every echoed argument escaped.

use super::Cli;
use crate::number::{self, NumberError};
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;

impl Cli {
    /// Parses a command line as `main` does: clap, plus the two rules clap cannot say.
    /// An optional `--free-credits` value must not swallow the positional after it, and
    /// `completions` and `man` take none of the global `--rates`, `--format`, `--as-of`.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let args = free_credits_before_a_word(args.into_iter().map(Into::into).collect());
        let err = match Cli::parse_prepared(args.clone()) {
            Err(e) if e.exit_code() != 0 => e,
            done => return done,
        };
        // clap echoes a bad argument whole and raw. When its message holds an argument
        // with hidden characters or a long one, the same mistake is parsed again with
        // every argument as a message echoes it (escaped, cut to a window), and that
        // error is reported.
        let shown = |a: &OsString| {
            a.to_str()
                .map_or_else(|| a.clone(), |s| OsString::from(crate::text::echo(s)))
        };
        let message = err.render().ansi().to_string();
        let unsafe_echo = args.iter().any(|a| {
            a.to_str()
                .is_some_and(|s| !s.is_empty() && shown(a) != *a && message.contains(s))
        });
        if unsafe_echo {
            if let Err(e) = Cli::parse_prepared(args.iter().map(shown).collect()) {
                if e.kind() == err.kind() {
                    return Err(e);
                }
            }
        }
        Err(err)
    }

    fn parse_prepared(args: Vec<OsString>) -> Result<Cli, clap::Error> {
        let mut cmd = Cli::command();
        let matches = cmd.try_get_matches_from_mut(args)?;
        for name in ["completions", "man"] {
            let Some(sub) = matches.subcommand_matches(name) else {
                continue;
            };
            for (id, flag) in [
                ("rates", "--rates"),
                ("format", "--format"),
                ("as_of", "--as-of"),
            ] {
                if sub.value_source(id) == Some(ValueSource::CommandLine) {
                    let mut sub_cmd = cmd.find_subcommand(name).unwrap_or(&cmd).clone();
                    return Err(sub_cmd.error(
                        ErrorKind::ArgumentConflict,
                        format!("'{flag}' does not apply to 'stabcost {name}'"),
                    ));
                }
            }
        }
        Cli::from_arg_matches(&matches).map_err(|e| e.with_cmd(&cmd))
    }
}

/// `quote --free-credits core`: the word after an optional-valued `--free-credits` is
/// the command's positional when it is not a number, so the word is moved in front of
/// the flag (`quote core --free-credits`). A number, an option, `--free-credits=N` and
/// anything after `--` are left to clap.
fn free_credits_before_a_word(mut args: Vec<OsString>) -> Vec<OsString> {
    let mut i = 0;
    while let (Some(flag), Some(next)) = (args.get(i), args.get(i + 1)) {
        if flag == "--" {
            break;
        }
        // A number too large or too precise is still a number: clap reports it.
        let word = next.to_str().is_some_and(|w| {
            (w == "-" || !w.starts_with('-'))
                && number::parse_number(w) == Err(NumberError::NotANumber)
        });
        if flag == "--free-credits" && word {
            args.swap(i, i + 1);
            i += 1;
        }
        i += 1;
    }
    args
}

#[cfg(test)]
// Test code: each unwrap is an assertion, and a failure fails the test.
mod tests {
    use super::*;

    fn words(args: &[&str]) -> Vec<String> {
        free_credits_before_a_word(args.iter().map(OsString::from).collect())
            .into_iter()
            .map(|a| a.into_string().unwrap_or_default())
            .collect()
    }

    #[test]
    fn free_credits_leaves_a_following_word_to_the_command() {
        assert_eq!(
            words(&["stabcost", "quote", "--free-credits", "core"]),
            ["stabcost", "quote", "core", "--free-credits"]
        );
        assert_eq!(
            words(&[
                "stabcost",
                "workflow",
                "--free-credits",
                "-",
                "--count",
                "2"
            ]),
            [
                "stabcost",
                "workflow",
                "-",
                "--free-credits",
                "--count",
                "2"
            ]
        );
        for kept in [
            &["quote", "core", "--free-credits", "10"][..],
            &["quote", "core", "--free-credits", "0.9"],
            &["quote", "core", "--free-credits", "-3"],
            &["quote", "core", "--free-credits", "--count", "2"],
            &["quote", "core", "--free-credits", ""],
            &["quote", "core", "--free-credits", "1e-40"],
            &["quote", "core", "--free-credits", "1,50"],
            &["quote", "--", "--free-credits", "core"],
            &["quote", "--free-credits=core"],
        ] {
            assert_eq!(words(kept), kept, "{kept:?}");
        }
    }
}
