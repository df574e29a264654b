//! A TOML document read key by key, every value kept with where it was written, every
//! problem recorded as a diagnostic instead of stopping the read. Rate cards and plan
//! files are both read this way, so both report every problem in one run as
//! `FILE:LINE:COL: message`.

use crate::diagnostics::{At, Diagnostics, File};
use crate::number;
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct W<T> {
    pub(crate) v: T,
    pub(crate) at: At,
}

/// Parses `text` as TOML. What the parser's recovery makes of the text after a syntax
/// error is a guess (a broken table header turns later keys into "duplicates"), so the
/// first syntax error is reported alone and every later diagnostic is dropped.
pub(crate) fn parse<'i>(
    text: &'i str,
    file: File,
    diags: &mut Diagnostics,
) -> Spanned<DeTable<'i>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if let Some(first) = errors
        .iter()
        .min_by_key(|e| e.span().map_or(0, |s| s.start))
    {
        let span = first.span().unwrap_or(0..0);
        diags.push(At::new(file, span), first.message().trim_end().to_owned());
        diags.syntax = true;
    }
    doc
}

/// Reads the keys of one table, naming it in messages. It records every key it is
/// asked for, so [`Reader::finish`] reports the keys nobody asked for as unknown: the
/// reading code is the one list of a table's fields.
pub(crate) struct Reader<'d, 'i> {
    pub(crate) table: &'d DeTable<'i>,
    pub(crate) file: File,
    /// How messages name the table: `[billing]`, `service 'ultra'`.
    pub(crate) what: String,
    asked: std::cell::RefCell<Vec<&'static str>>,
}

/// How TOML names a value's type, for messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'d, 'i> Reader<'d, 'i> {
    /// A reader of `table`, named `what` in messages.
    pub(crate) fn new(table: &'d DeTable<'i>, file: File, what: &str) -> Self {
        Reader {
            table,
            file,
            what: what.to_owned(),
            asked: std::cell::RefCell::default(),
        }
    }

    /// A reader of `table`, a table inside this one, named `what` in messages.
    pub(crate) fn child<'e>(&self, table: &'e DeTable<'i>, what: &str) -> Reader<'e, 'i> {
        Reader::new(table, self.file, what)
    }

    /// The same reader, named `what` in messages from now on (once a table's id is
    /// read, messages name it by that).
    pub(crate) fn named(mut self, what: String) -> Self {
        self.what = what;
        self
    }

    /// The keys asked for that this table writes.
    pub(crate) fn written(&self) -> Vec<&'static str> {
        self.asked
            .borrow()
            .iter()
            .copied()
            .filter(|k| self.table.contains_key(*k))
            .collect()
    }

    /// Whether this table writes every key asked for.
    pub(crate) fn complete(&self) -> bool {
        self.asked
            .borrow()
            .iter()
            .all(|k| self.table.contains_key(*k))
    }

    pub(crate) fn at(&self, v: &Spanned<DeValue<'_>>) -> At {
        At::new(self.file, v.span())
    }

    /// The value of `key`, which is recorded as one of the table's fields.
    pub(crate) fn get(&self, key: &'static str) -> Option<&'d Spanned<DeValue<'i>>> {
        let mut asked = self.asked.borrow_mut();
        if !asked.contains(&key) {
            asked.push(key);
        }
        self.table.get(key)
    }

    /// Once every field has been asked for: a diagnostic for every key of the table
    /// that is none of them, with a close match.
    pub(crate) fn finish(&self, diags: &mut Diagnostics) {
        let known = self.asked.borrow();
        for key in self.table.keys() {
            let k = key.get_ref();
            if known.contains(&k.as_ref()) {
                continue;
            }
            let detail = match crate::text::closest(k, known.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("expected one of {}", known.join(", ")),
            };
            diags.push(
                At::new(self.file, key.span()),
                format!("unknown field `{k}` in {}; {detail}", self.what),
            );
        }
    }

    pub(crate) fn wrong_type(
        &self,
        key: &'static str,
        v: &Spanned<DeValue<'_>>,
        want: &str,
        diags: &mut Diagnostics,
    ) {
        diags.push(
            self.at(v),
            format!(
                "`{key}` in {} must be {want}, got {}",
                self.what,
                type_name(v.get_ref())
            ),
        );
    }

    pub(crate) fn string(&self, key: &'static str, diags: &mut Diagnostics) -> Option<W<String>> {
        let v = self.get(key)?;
        if let DeValue::String(s) = v.get_ref() {
            return Some(W {
                v: s.to_string(),
                at: self.at(v),
            });
        }
        self.wrong_type(key, v, "a string", diags);
        None
    }

    /// A date, written as a TOML date (`2025-08-01`) or a string; checked by `validate`.
    pub(crate) fn date_text(
        &self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<W<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(W {
                v: s.to_string(),
                at: self.at(v),
            }),
            DeValue::Datetime(d) => Some(W {
                v: d.to_string(),
                at: self.at(v),
            }),
            _ => {
                self.wrong_type(key, v, "a date such as 2025-08-01", diags);
                None
            }
        }
    }

    pub(crate) fn boolean(&self, key: &'static str, diags: &mut Diagnostics) -> Option<W<bool>> {
        let v = self.get(key)?;
        if let DeValue::Boolean(b) = v.get_ref() {
            return Some(W {
                v: *b,
                at: self.at(v),
            });
        }
        self.wrong_type(key, v, "true or false", diags);
        None
    }

    /// A string, or an array of strings, each with its position (a service's one
    /// endpoint or several).
    pub(crate) fn string_or_strings(
        &self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<Vec<W<String>>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(vec![W {
                v: s.to_string(),
                at: self.at(v),
            }]),
            DeValue::Array(_) => self.strings(key, diags),
            _ => {
                self.wrong_type(key, v, "a string or an array of strings", diags);
                None
            }
        }
    }

    /// An array of strings, each with its position.
    pub(crate) fn strings(
        &self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<Vec<W<String>>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of strings", diags);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(W {
                    v: s.to_string(),
                    at: self.at(item),
                }),
                _ => self.wrong_type(key, item, "an array of strings", diags),
            }
        }
        Some(out)
    }

    /// An array of strings as one value.
    pub(crate) fn string_list(
        &self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<W<Vec<String>>> {
        let at = self.at(self.get(key)?);
        let items = self.strings(key, diags)?;
        Some(W {
            v: items.into_iter().map(|w| w.v).collect(),
            at,
        })
    }

    /// A number as written: a TOML integer or float from its own digits, or a string
    /// holding a decimal. Exact, or a diagnostic saying what is wrong with it.
    pub(crate) fn number(&self, key: &'static str, diags: &mut Diagnostics) -> Option<W<Decimal>> {
        let v = self.get(key)?;
        let text = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().to_owned(),
            DeValue::Integer(i) => match i128::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => n.to_string(),
                Err(_) => i.as_str().to_owned(),
            },
            DeValue::Float(f) => f.as_str().to_owned(),
            DeValue::String(s) => s.to_string(),
            _ => {
                self.wrong_type(key, v, "a number", diags);
                return None;
            }
        };
        match number::parse_decimal(&text) {
            Ok(d) => Some(W {
                v: d,
                at: self.at(v),
            }),
            Err(e) => {
                diags.push(self.at(v), format!("`{key}` in {}: {e}", self.what));
                None
            }
        }
    }

    /// A whole number of 0 or more.
    pub(crate) fn whole(&self, key: &'static str, diags: &mut Diagnostics) -> Option<W<u64>> {
        let v = self.get(key)?;
        if let DeValue::Integer(i) = v.get_ref() {
            if let Ok(n) = u64::from_str_radix(i.as_str(), i.radix()) {
                return Some(W {
                    v: n,
                    at: self.at(v),
                });
            }
        }
        self.wrong_type(key, v, "a whole number of 0 or more", diags);
        None
    }

    /// A quantity: a whole number of 0 or more, as a TOML integer or a string such as
    /// `"15,000"`.
    pub(crate) fn quantity(&self, key: &'static str, diags: &mut Diagnostics) -> Option<W<u64>> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => u64::from_str_radix(i.as_str(), i.radix())
                .map_err(|_| number::parse_quantity(i.as_str()).err().unwrap_or_default()),
            DeValue::String(s) => number::parse_quantity(s),
            _ => {
                self.wrong_type(key, v, "a whole number of 0 or more", diags);
                return None;
            }
        };
        match parsed {
            Ok(n) => Some(W {
                v: n,
                at: self.at(v),
            }),
            Err(e) => {
                diags.push(self.at(v), format!("`{key}` in {}: {e}", self.what));
                None
            }
        }
    }

    /// A small whole number (a step count).
    pub(crate) fn small(&self, key: &'static str, diags: &mut Diagnostics) -> Option<W<u32>> {
        let w = self.whole(key, diags)?;
        if let Ok(v) = u32::try_from(w.v) {
            return Some(W { v, at: w.at });
        }
        diags.push(w.at, format!("`{key}` in {} is far too large", self.what));
        None
    }

    /// A sub-table (`[billing]`, or an inline `steps = { … }`).
    pub(crate) fn table(
        &self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<(&'d DeTable<'i>, At)> {
        let v = self.get(key)?;
        if let DeValue::Table(t) = v.get_ref() {
            return Some((t, self.at(v)));
        }
        self.wrong_type(key, v, "a table", diags);
        None
    }

    /// An array of tables (`[[services]]`).
    pub(crate) fn tables(
        &self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Vec<(&'d DeTable<'i>, At)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, &format!("an array of tables ([[{key}]])"), diags);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, self.at(item))),
                _ => self.wrong_type(key, item, &format!("an array of tables ([[{key}]])"), diags),
            }
        }
        out
    }
}
