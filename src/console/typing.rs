//! Turning a lesson's code block into keystrokes that put it at the prompt
//! without running it.
//!
//! The danger is a newline: sent to a shell, it runs what came before. So:
//! - Control characters from the lesson are removed (a pack cannot smuggle a
//!   `\r`, an escape sequence or a Tab-completion into the console), trailing
//!   newlines are dropped, and nothing ends in `\r`.
//! - When the shell enabled bracketed paste (bash 5.1+, zsh, fish do), a
//!   multi-line block is sent as a bracketed paste: the shell puts all of it in
//!   its edit buffer and runs it only when the learner presses Enter.
//! - Otherwise (plain `sh`) newlines cannot be sent at all. Backslash
//!   continuations are joined (the shell would do the same), comment lines are
//!   dropped, and several simple commands are joined with ` && ` (which also
//!   stops at the first failure, as a learner following the lesson would).
//!   When the block holds something that cannot be joined safely (a heredoc, a
//!   multi-line `if`/`for`, an open quote), only the first command is typed.

/// The bytes that put `text` at the prompt without running it. Empty when the
/// text has nothing to type.
pub fn typed_bytes(text: &str, bracketed: bool) -> Vec<u8> {
    let text = strip_controls(text);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    let (Some(start), Some(end)) = (start, end) else {
        return Vec::new();
    };
    let lines: Vec<&str> = lines[start..=end]
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>();
    if lines.len() == 1 {
        return lines[0].as_bytes().to_vec();
    }
    if bracketed {
        let mut out = Vec::new();
        out.extend_from_slice(b"\x1b[200~");
        out.extend_from_slice(lines.join("\n").as_bytes());
        out.extend_from_slice(b"\x1b[201~");
        return out;
    }
    one_line(&lines).into_bytes()
}

/// Remove every control character but `\n` (Tab becomes spaces: typed into a
/// shell it would complete). `\r\n` and lone `\r` count as newlines.
fn strip_controls(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("    "),
            c if c.is_control() => {}
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Several lines as one line that means the same, or the first command.
fn one_line(lines: &[&str]) -> String {
    // Join backslash continuations as the shell does.
    let mut logical: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in lines {
        let mut piece = line.to_string();
        if let Some(cur) = current.as_mut() {
            if cur.ends_with(' ') {
                piece = piece.trim_start().to_string();
            }
            cur.push_str(&piece);
        } else {
            current = Some(piece);
        }
        let continues = current.as_deref().is_some_and(ends_with_continuation);
        if continues {
            if let Some(cur) = current.as_mut() {
                cur.pop();
            }
        } else if let Some(done) = current.take() {
            logical.push(done);
        }
    }
    if let Some(rest) = current.take() {
        logical.push(rest);
    }

    let mut commands: Vec<(String, bool)> = Vec::new();
    let mut simple = true;
    for line in &logical {
        let scanned = scan(line);
        let code = scanned.code.trim();
        if code.is_empty() {
            continue;
        }
        if !scanned.balanced || !is_simple(code) {
            simple = false;
        }
        commands.push((
            code.to_string(),
            code.ends_with('&') && !code.ends_with("&&"),
        ));
    }
    if commands.is_empty() {
        return String::new();
    }
    if !simple {
        return commands.swap_remove(0).0;
    }
    let mut out = String::new();
    for (i, (code, background)) in commands.iter().enumerate() {
        out.push_str(code.trim_end_matches(';').trim_end());
        if i + 1 < commands.len() {
            out.push_str(if *background { " " } else { " && " });
        }
    }
    out
}

fn ends_with_continuation(s: &str) -> bool {
    let trailing = s.chars().rev().take_while(|&c| c == '\\').count();
    trailing % 2 == 1
}

struct Scanned<'a> {
    /// The line without a trailing comment.
    code: &'a str,
    /// No quote left open.
    balanced: bool,
}

/// Find where a `#` comment starts outside quotes, and whether quotes close.
fn scan(line: &str) -> Scanned<'_> {
    let mut single = false;
    let mut double = false;
    let mut escaped = false;
    let mut prev_is_space = true;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            prev_is_space = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev_is_space => {
                return Scanned {
                    code: &line[..i],
                    balanced: true,
                };
            }
            _ => {}
        }
        prev_is_space = c.is_whitespace();
    }
    Scanned {
        code: line,
        balanced: !single && !double,
    }
}

/// A command that can be joined to the next with `&&`: no heredoc, no
/// compound statement spread over lines, no operator waiting for more.
fn is_simple(code: &str) -> bool {
    if code.contains("<<") {
        return false;
    }
    let first = code.split_whitespace().next().unwrap_or("");
    const OPENERS: [&str; 14] = [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
        "function", "select",
    ];
    if OPENERS.contains(&first) || first.starts_with(['{', '}', '(', ')']) {
        return false;
    }
    let last = code.split_whitespace().last().unwrap_or("");
    if ["|", "||", "&&", "{", "(", "do", "then", "else", "in"].contains(&last) {
        return false;
    }
    !code.ends_with('|') && !code.ends_with("()")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str, bracketed: bool) -> String {
        String::from_utf8(typed_bytes(text, bracketed)).expect("utf-8")
    }

    #[test]
    fn one_line_is_typed_without_enter() {
        assert_eq!(typed("docker images\n", false), "docker images");
        assert_eq!(typed("docker images\n", true), "docker images");
        assert_eq!(typed("\n\n  ls -l  \n\n", false), "  ls -l");
    }

    #[test]
    fn control_characters_never_reach_the_shell() {
        assert_eq!(typed("echo hi\r", false), "echo hi");
        assert_eq!(typed("echo \x1b[2Jhi\x07", false), "echo [2Jhi");
        assert_eq!(typed("a\tb", false), "a    b");
        assert_eq!(typed("rm -rf /\u{202e}x", false), "rm -rf /x");
        // a CR in the middle is a newline, not an Enter
        let s = typed("echo a\recho b", false);
        assert!(!s.contains('\r') && !s.contains('\n'), "{s:?}");
    }

    #[test]
    fn multi_line_uses_bracketed_paste_when_enabled() {
        let s = typed("docker build -t x .\ndocker run x\n", true);
        assert_eq!(s, "\x1b[200~docker build -t x .\ndocker run x\x1b[201~");
    }

    #[test]
    fn continuations_are_joined() {
        let s = typed("docker run \\\n  --rm \\\n  busybox echo hi\n", false);
        assert_eq!(s, "docker run --rm busybox echo hi");
        // an escaped backslash is not a continuation
        let s = typed("echo a\\\\\necho b", false);
        assert_eq!(s, "echo a\\\\ && echo b");
    }

    #[test]
    fn simple_commands_are_joined_with_and() {
        let s = typed(
            "# build it\ndocker build -t calc .   # tag\n\ndocker images calc;\n",
            false,
        );
        assert_eq!(s, "docker build -t calc . && docker images calc");
        assert_eq!(
            typed("sleep 5 &\necho started", false),
            "sleep 5 & echo started"
        );
        // a # inside quotes or a word is not a comment
        assert_eq!(
            typed("echo '#x' a#b\necho y", false),
            "echo '#x' a#b && echo y"
        );
    }

    #[test]
    fn compound_blocks_type_only_the_first_command() {
        let s = typed("cat > f <<EOF\nhello\nEOF\n", false);
        assert_eq!(s, "cat > f <<EOF");
        let s = typed("for i in 1 2; do\n  echo $i\ndone", false);
        assert_eq!(s, "for i in 1 2; do");
        let s = typed("echo 'open\nquote'", false);
        assert_eq!(s, "echo 'open");
        let s = typed("docker ps |\n  grep x", false);
        assert_eq!(s, "docker ps |");
    }

    #[test]
    fn nothing_to_type() {
        assert!(typed_bytes("", false).is_empty());
        assert!(typed_bytes("\n \n", true).is_empty());
        assert!(typed_bytes("# only a comment\n# and another", false).is_empty());
    }
}
