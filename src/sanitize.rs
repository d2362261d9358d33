//! Neutralise terminal control sequences in text that comes from lesson
//! packs or from the engine before it is drawn or printed.

/// Replace every control character except `\n` and `\t` with a visible
/// placeholder, so ESC, CSI (`\u{9b}`), BEL and friends can never reach the
/// terminal. ESC becomes `^[`, other C0 controls `^X`, C1 controls `\u{fffd}`.
pub fn clean(s: &str) -> String {
    if !s.chars().any(is_dangerous) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_dangerous(c) {
            out.push(c);
        } else if (c as u32) < 0x20 {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        } else if c == '\u{7f}' {
            out.push_str("^?");
        } else {
            out.push('\u{fffd}');
        }
    }
    out
}

/// Like [`clean`] but also flattens newlines and tabs to spaces: for names and
/// one-line fields (check titles, container names).
pub fn clean_line(s: &str) -> String {
    clean(s).replace(['\n', '\r', '\t'], " ")
}

fn is_dangerous(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if (c as u32) < 0x20 => true,
        '\u{7f}'..='\u{9f}' => true,
        // bidi overrides can disguise text
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_neutralised() {
        assert_eq!(clean("a\x1b[2Jb"), "a^[[2Jb");
        assert_eq!(clean("bell\x07"), "bell^G");
        assert_eq!(clean("csi\u{9b}31m"), "csi\u{fffd}31m");
        assert_eq!(clean("keep\nlines\tand tabs"), "keep\nlines\tand tabs");
        assert_eq!(clean_line("a\nb"), "a b");
        assert_eq!(clean("plain ✔ text"), "plain ✔ text");
    }
}
