//! Key events to the bytes an xterm-compatible terminal sends.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Pure key encoding: crossterm key -> bytes for the PTY, as xterm sends them
/// (`TERM=xterm-256color`). `app_cursor` is the screen's application cursor
/// mode (DECCKM), which changes arrows and Home/End from `ESC [` to `ESC O`.
/// Returns `None` for key releases and keys a terminal does not send.
pub fn encode_key(key: &KeyEvent, app_cursor: bool) -> Option<Vec<u8>> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let mods = key.modifiers;
    let alt = mods.contains(KeyModifiers::ALT);
    let ctrl = mods.contains(KeyModifiers::CONTROL);
    let shift = mods.contains(KeyModifiers::SHIFT);
    // xterm's modifier parameter: 1 + shift + 2*alt + 4*ctrl + 8*meta.
    let param = 1
        + u8::from(shift)
        + 2 * u8::from(alt)
        + 4 * u8::from(ctrl)
        + 8 * u8::from(mods.contains(KeyModifiers::META));
    let with_alt = |mut bytes: Vec<u8>| {
        if alt {
            bytes.insert(0, 0x1b);
        }
        bytes
    };

    let bytes = match key.code {
        KeyCode::Char(c) => with_alt(encode_char(c, ctrl)),
        KeyCode::Enter => with_alt(vec![b'\r']),
        KeyCode::Backspace => with_alt(vec![if ctrl { 0x08 } else { 0x7f }]),
        KeyCode::Tab if shift => b"\x1b[Z".to_vec(),
        KeyCode::Tab => with_alt(vec![b'\t']),
        KeyCode::BackTab => b"\x1b[Z".to_vec(),
        KeyCode::Esc => with_alt(vec![0x1b]),
        KeyCode::Null => with_alt(vec![0]),
        KeyCode::Up => cursor_key(b'A', param, app_cursor),
        KeyCode::Down => cursor_key(b'B', param, app_cursor),
        KeyCode::Right => cursor_key(b'C', param, app_cursor),
        KeyCode::Left => cursor_key(b'D', param, app_cursor),
        KeyCode::Home => cursor_key(b'H', param, app_cursor),
        KeyCode::End => cursor_key(b'F', param, app_cursor),
        KeyCode::Insert => tilde_key(2, param),
        KeyCode::Delete => tilde_key(3, param),
        KeyCode::PageUp => tilde_key(5, param),
        KeyCode::PageDown => tilde_key(6, param),
        KeyCode::F(n) => function_key(n, param)?,
        _ => return None,
    };
    Some(bytes)
}

fn encode_char(c: char, ctrl: bool) -> Vec<u8> {
    if ctrl {
        if let Some(b) = control_byte(c) {
            return vec![b];
        }
    }
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf).as_bytes().to_vec()
}

/// The C0 byte Ctrl+`c` produces on an xterm, including the digit aliases
/// (Ctrl-2 = NUL, Ctrl-3..7 = ESC, FS, GS, RS, US, Ctrl-8 = DEL) that
/// crossterm reports for those bytes.
fn control_byte(c: char) -> Option<u8> {
    let b = match c {
        'a'..='z' => c as u8 - b'a' + 1,
        'A'..='Z' => c as u8 - b'A' + 1,
        ' ' | '@' | '2' => 0,
        '[' | '3' => 0x1b,
        '\\' | '4' => 0x1c,
        ']' | '5' => 0x1d,
        '^' | '~' | '6' => 0x1e,
        '_' | '/' | '-' | '7' => 0x1f,
        '?' | '8' => 0x7f,
        _ => return None,
    };
    Some(b)
}

/// Arrows and Home/End: `ESC [ X` (or `ESC O X` in application cursor mode),
/// `ESC [ 1 ; m X` with modifiers.
fn cursor_key(final_byte: u8, param: u8, app_cursor: bool) -> Vec<u8> {
    if param > 1 {
        format!("\x1b[1;{param}{}", final_byte as char).into_bytes()
    } else if app_cursor {
        vec![0x1b, b'O', final_byte]
    } else {
        vec![0x1b, b'[', final_byte]
    }
}

/// `ESC [ n ~`, `ESC [ n ; m ~` with modifiers.
fn tilde_key(n: u8, param: u8) -> Vec<u8> {
    if param > 1 {
        format!("\x1b[{n};{param}~").into_bytes()
    } else {
        format!("\x1b[{n}~").into_bytes()
    }
}

fn function_key(n: u8, param: u8) -> Option<Vec<u8>> {
    let bytes = match n {
        1..=4 => {
            let final_byte = (b'P' + (n - 1)) as char;
            if param > 1 {
                format!("\x1b[1;{param}{final_byte}").into_bytes()
            } else {
                format!("\x1bO{final_byte}").into_bytes()
            }
        }
        5..=12 => {
            let code = [15u8, 17, 18, 19, 20, 21, 23, 24][usize::from(n - 5)];
            tilde_key(code, param)
        }
        _ => return None,
    };
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventState;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn enc(code: KeyCode, mods: KeyModifiers) -> Vec<u8> {
        encode_key(&key(code, mods), false).expect("key has an encoding")
    }

    fn enc_app(code: KeyCode, mods: KeyModifiers) -> Vec<u8> {
        encode_key(&key(code, mods), true).expect("key has an encoding")
    }

    const NONE: KeyModifiers = KeyModifiers::NONE;
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;
    const ALT: KeyModifiers = KeyModifiers::ALT;
    const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

    #[test]
    fn printable_characters_are_utf8() {
        assert_eq!(enc(KeyCode::Char('a'), NONE), b"a");
        assert_eq!(enc(KeyCode::Char('A'), SHIFT), b"A");
        assert_eq!(enc(KeyCode::Char('$'), NONE), b"$");
        assert_eq!(enc(KeyCode::Char('é'), NONE), "é".as_bytes());
        assert_eq!(enc(KeyCode::Char('✔'), NONE), "✔".as_bytes());
        assert_eq!(enc(KeyCode::Char('🐳'), NONE), "🐳".as_bytes());
    }

    #[test]
    fn enter_backspace_tab_esc() {
        assert_eq!(enc(KeyCode::Enter, NONE), b"\r");
        assert_eq!(enc(KeyCode::Backspace, NONE), b"\x7f");
        assert_eq!(enc(KeyCode::Backspace, CTRL), b"\x08");
        assert_eq!(enc(KeyCode::Tab, NONE), b"\t");
        assert_eq!(enc(KeyCode::BackTab, SHIFT), b"\x1b[Z");
        assert_eq!(enc(KeyCode::BackTab, NONE), b"\x1b[Z");
        assert_eq!(enc(KeyCode::Tab, SHIFT), b"\x1b[Z");
        assert_eq!(enc(KeyCode::Esc, NONE), b"\x1b");
    }

    #[test]
    fn arrows_normal_and_application_mode() {
        assert_eq!(enc(KeyCode::Up, NONE), b"\x1b[A");
        assert_eq!(enc(KeyCode::Down, NONE), b"\x1b[B");
        assert_eq!(enc(KeyCode::Right, NONE), b"\x1b[C");
        assert_eq!(enc(KeyCode::Left, NONE), b"\x1b[D");
        assert_eq!(enc_app(KeyCode::Up, NONE), b"\x1bOA");
        assert_eq!(enc_app(KeyCode::Down, NONE), b"\x1bOB");
        assert_eq!(enc_app(KeyCode::Right, NONE), b"\x1bOC");
        assert_eq!(enc_app(KeyCode::Left, NONE), b"\x1bOD");
    }

    #[test]
    fn modified_arrows_use_the_xterm_parameter() {
        assert_eq!(enc(KeyCode::Up, CTRL), b"\x1b[1;5A");
        assert_eq!(enc(KeyCode::Left, CTRL), b"\x1b[1;5D");
        assert_eq!(enc(KeyCode::Right, SHIFT), b"\x1b[1;2C");
        assert_eq!(enc(KeyCode::Down, ALT), b"\x1b[1;3B");
        assert_eq!(enc(KeyCode::Up, CTRL | SHIFT), b"\x1b[1;6A");
        assert_eq!(enc(KeyCode::Up, CTRL | ALT | SHIFT), b"\x1b[1;8A");
        // modifiers win over application mode, as in xterm
        assert_eq!(enc_app(KeyCode::Up, CTRL), b"\x1b[1;5A");
    }

    #[test]
    fn home_end_both_modes() {
        assert_eq!(enc(KeyCode::Home, NONE), b"\x1b[H");
        assert_eq!(enc(KeyCode::End, NONE), b"\x1b[F");
        assert_eq!(enc_app(KeyCode::Home, NONE), b"\x1bOH");
        assert_eq!(enc_app(KeyCode::End, NONE), b"\x1bOF");
        assert_eq!(enc(KeyCode::Home, CTRL), b"\x1b[1;5H");
        assert_eq!(enc(KeyCode::End, SHIFT), b"\x1b[1;2F");
    }

    #[test]
    fn page_insert_delete() {
        assert_eq!(enc(KeyCode::PageUp, NONE), b"\x1b[5~");
        assert_eq!(enc(KeyCode::PageDown, NONE), b"\x1b[6~");
        assert_eq!(enc(KeyCode::Insert, NONE), b"\x1b[2~");
        assert_eq!(enc(KeyCode::Delete, NONE), b"\x1b[3~");
        assert_eq!(enc(KeyCode::Delete, CTRL), b"\x1b[3;5~");
        assert_eq!(enc(KeyCode::PageUp, SHIFT), b"\x1b[5;2~");
        // application mode does not change them
        assert_eq!(enc_app(KeyCode::PageDown, NONE), b"\x1b[6~");
    }

    #[test]
    fn function_keys() {
        let expected: [&[u8]; 12] = [
            b"\x1bOP",
            b"\x1bOQ",
            b"\x1bOR",
            b"\x1bOS",
            b"\x1b[15~",
            b"\x1b[17~",
            b"\x1b[18~",
            b"\x1b[19~",
            b"\x1b[20~",
            b"\x1b[21~",
            b"\x1b[23~",
            b"\x1b[24~",
        ];
        for (i, want) in expected.iter().enumerate() {
            let n = i as u8 + 1;
            assert_eq!(enc(KeyCode::F(n), NONE), *want, "F{n}");
        }
        assert_eq!(enc(KeyCode::F(1), SHIFT), b"\x1b[1;2P");
        assert_eq!(enc(KeyCode::F(5), CTRL), b"\x1b[15;5~");
        assert_eq!(encode_key(&key(KeyCode::F(13), NONE), false), None);
    }

    #[test]
    fn ctrl_letters() {
        for (i, c) in ('a'..='z').enumerate() {
            assert_eq!(enc(KeyCode::Char(c), CTRL), vec![i as u8 + 1], "Ctrl-{c}");
        }
        // shifted letters as some terminals report them
        assert_eq!(enc(KeyCode::Char('C'), CTRL | SHIFT), vec![0x03]);
        assert_eq!(enc(KeyCode::Char('c'), CTRL), vec![0x03]);
        assert_eq!(enc(KeyCode::Char('d'), CTRL), vec![0x04]);
    }

    #[test]
    fn ctrl_symbols() {
        assert_eq!(enc(KeyCode::Char(' '), CTRL), vec![0x00]);
        assert_eq!(enc(KeyCode::Char('@'), CTRL), vec![0x00]);
        assert_eq!(enc(KeyCode::Char('\\'), CTRL), vec![0x1c]);
        assert_eq!(enc(KeyCode::Char(']'), CTRL), vec![0x1d]);
        assert_eq!(enc(KeyCode::Char('^'), CTRL), vec![0x1e]);
        assert_eq!(enc(KeyCode::Char('_'), CTRL), vec![0x1f]);
        assert_eq!(enc(KeyCode::Char('['), CTRL), vec![0x1b]);
        // crossterm reports the bytes 0x1c..0x1f as Ctrl-4..Ctrl-7
        assert_eq!(enc(KeyCode::Char('4'), CTRL), vec![0x1c]);
        assert_eq!(enc(KeyCode::Char('5'), CTRL), vec![0x1d]);
        assert_eq!(enc(KeyCode::Char('6'), CTRL), vec![0x1e]);
        assert_eq!(enc(KeyCode::Char('7'), CTRL), vec![0x1f]);
        // no control code: the character itself
        assert_eq!(enc(KeyCode::Char('1'), CTRL), b"1");
        assert_eq!(enc(KeyCode::Null, NONE), vec![0x00]);
    }

    #[test]
    fn alt_prefixes_escape() {
        assert_eq!(enc(KeyCode::Char('b'), ALT), b"\x1bb");
        assert_eq!(enc(KeyCode::Char('F'), ALT | SHIFT), b"\x1bF");
        assert_eq!(enc(KeyCode::Char('.'), ALT), b"\x1b.");
        assert_eq!(enc(KeyCode::Char('x'), CTRL | ALT), b"\x1b\x18");
        assert_eq!(enc(KeyCode::Backspace, ALT), b"\x1b\x7f");
        assert_eq!(enc(KeyCode::Enter, ALT), b"\x1b\r");
        assert_eq!(enc(KeyCode::Esc, ALT), b"\x1b\x1b");
    }

    #[test]
    fn releases_and_unknown_keys_send_nothing() {
        let mut release = key(KeyCode::Char('a'), NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(encode_key(&release, false), None);
        let repeat = KeyEvent {
            code: KeyCode::Char('a'),
            modifiers: NONE,
            kind: KeyEventKind::Repeat,
            state: KeyEventState::NONE,
        };
        assert_eq!(encode_key(&repeat, false), Some(b"a".to_vec()));
        assert_eq!(encode_key(&key(KeyCode::CapsLock, NONE), false), None);
    }
}
