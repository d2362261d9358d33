//! Typed reads of TOML fields that report wrong types in an author's words.

use std::ops::Range;

use super::suggest::did_you_mean;
use super::tree::{Entry, Reporter, Table, V};

/// A value with the span it came from.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub v: T,
    pub span: Range<usize>,
}

/// Report every key of `t` that is not in `allowed`; `place` says where,
/// e.g. "in pack.toml" or "in check `small` (image.size)".
pub fn unknown_fields(r: &mut Reporter, t: &Table, allowed: &[&str], place: &str, extra: &[&str]) {
    for e in &t.entries {
        if allowed.contains(&e.key.as_str()) {
            continue;
        }
        if r.is_full() {
            // Only counted from here on; skip building the message.
            r.at(&e.key_span, "");
            continue;
        }
        let mut msg = format!("unknown field `{}` {place}", e.key);
        let hint = did_you_mean(&e.key, allowed);
        if !hint.is_empty() {
            msg.push_str(&hint);
        } else if !extra.is_empty() && extra.contains(&e.key.as_str()) {
            msg.push_str(&format!(
                "; `{}` belongs to other check kinds. Fields here: {}",
                e.key,
                allowed.join(", ")
            ));
        } else {
            msg.push_str(&format!("; known fields: {}", allowed.join(", ")));
        }
        r.at(&e.key_span, msg);
    }
}

fn wrong_type(r: &mut Reporter, e: &Entry, want: &str, example: &str) {
    r.at(
        &e.node.span,
        format!(
            "`{}` must be {want}, e.g. {example}; found {}",
            e.key,
            e.node.v.describe()
        ),
    );
}

/// A string field; `None` if absent or of the wrong type (reported).
pub fn string(r: &mut Reporter, t: &Table, key: &str, example: &str) -> Option<At<String>> {
    let e = t.get(key)?;
    match &e.node.v {
        V::Str(s) => Some(At {
            v: s.clone(),
            span: e.node.span.clone(),
        }),
        _ => {
            wrong_type(r, e, "a string in quotes", example);
            None
        }
    }
}

/// A string field that must be present and not blank.
pub fn required_string(
    r: &mut Reporter,
    t: &Table,
    key: &str,
    example: &str,
    missing: &str,
    missing_at: &Range<usize>,
) -> Option<At<String>> {
    match t.get(key) {
        None => {
            r.at(missing_at, missing.to_string());
            None
        }
        Some(_) => {
            let s = string(r, t, key, example)?;
            if s.v.trim().is_empty() {
                r.at(&s.span, format!("`{key}` cannot be empty, e.g. {example}"));
                return None;
            }
            Some(s)
        }
    }
}

/// A list of strings; also accepts a single string as a one-item list.
pub fn string_list(
    r: &mut Reporter,
    t: &Table,
    key: &str,
    example: &str,
) -> Option<Vec<At<String>>> {
    let e = t.get(key)?;
    match &e.node.v {
        V::Array(items) => {
            let mut out = Vec::new();
            let mut ok = true;
            for item in items {
                match &item.v {
                    V::Str(s) => out.push(At {
                        v: s.clone(),
                        span: item.span.clone(),
                    }),
                    other => {
                        ok = false;
                        r.at(
                            &item.span,
                            format!(
                                "every item of `{key}` must be a string in quotes, e.g. {example}; found {}",
                                other.describe()
                            ),
                        );
                    }
                }
            }
            ok.then_some(out)
        }
        _ => {
            wrong_type(r, e, "a list of strings", example);
            None
        }
    }
}

pub fn boolean(r: &mut Reporter, t: &Table, key: &str) -> Option<At<bool>> {
    let e = t.get(key)?;
    match &e.node.v {
        V::Bool(b) => Some(At {
            v: *b,
            span: e.node.span.clone(),
        }),
        _ => {
            wrong_type(r, e, "true or false (no quotes)", &format!("{key} = true"));
            None
        }
    }
}

/// A whole number within `lo..=hi`.
pub fn integer(r: &mut Reporter, t: &Table, key: &str, lo: i64, hi: i64) -> Option<At<i64>> {
    let e = t.get(key)?;
    match &e.node.v {
        V::Int(i) if (lo..=hi).contains(i) => Some(At {
            v: *i,
            span: e.node.span.clone(),
        }),
        V::Int(i) => {
            r.at(
                &e.node.span,
                format!("`{key}` must be between {lo} and {hi}; found {i}"),
            );
            None
        }
        _ => {
            wrong_type(
                r,
                e,
                "a whole number (no quotes)",
                &format!("{key} = {}", lo.max(1)),
            );
            None
        }
    }
}

/// A table (inline `{ ... }` or `[key]`).
pub fn table<'t>(
    r: &mut Reporter,
    t: &'t Table,
    key: &str,
    example: &str,
) -> Option<(&'t Table, Range<usize>)> {
    let e = t.get(key)?;
    match &e.node.v {
        V::Table(inner) => Some((inner, e.node.span.clone())),
        _ => {
            wrong_type(r, e, "a table", example);
            None
        }
    }
}
