//! Recorded terminal output fed into the console's screen.

use dockdojo::console::{paste_bytes, Terminal, SCROLLBACK_LINES};

fn row(t: &Terminal, r: u16) -> String {
    let cols = t.screen().size().1;
    t.screen()
        .contents_between(r, 0, r, cols)
        .trim_end()
        .to_string()
}

fn fg(t: &Terminal, r: u16, c: u16) -> vt100::Color {
    t.screen().cell(r, c).expect("cell").fgcolor()
}

#[test]
fn colours_and_attributes() {
    let mut t = Terminal::new(5, 40);
    t.process(b"\x1b[31mred\x1b[0m \x1b[1;32mbold\x1b[0m \x1b[38;5;208mora\x1b[38;2;1;2;3mrgb\x1b[0m \x1b[4;7mu\x1b[m");
    assert_eq!(row(&t, 0), "red bold orargb u");
    assert_eq!(fg(&t, 0, 0), vt100::Color::Idx(1));
    assert_eq!(fg(&t, 0, 3), vt100::Color::Default);
    let bold = t.screen().cell(0, 4).expect("cell");
    assert!(bold.bold());
    assert_eq!(bold.fgcolor(), vt100::Color::Idx(2));
    assert_eq!(fg(&t, 0, 9), vt100::Color::Idx(208));
    assert_eq!(fg(&t, 0, 12), vt100::Color::Rgb(1, 2, 3));
    let u = t.screen().cell(0, 16).expect("cell");
    assert!(u.underline() && u.inverse());
    assert!(!t.screen().cell(0, 17).expect("cell").underline());
}

#[test]
fn cursor_movement() {
    let mut t = Terminal::new(6, 20);
    // CUP to row 3 col 5, write (cursor moves to col 6); up 2, right 3,
    // write; CR LF; column 10 (CHA)
    t.process(b"\x1b[3;5Hx\x1b[2A\x1b[3Cy\r\n\x1b[10Gz");
    assert_eq!(row(&t, 2), "    x");
    assert_eq!(row(&t, 0), "        y");
    assert_eq!(row(&t, 1), "         z");
    assert_eq!(t.screen().cursor_position(), (1, 10));
    // save / restore cursor
    t.process(b"\x1b7\x1b[6;1Hlast\x1b8!");
    assert_eq!(row(&t, 5), "last");
    assert_eq!(row(&t, 1), "         z!");
}

#[test]
fn clear_screen_and_erase_line() {
    let mut t = Terminal::new(4, 20);
    t.process(b"one\r\ntwo\r\nthree");
    assert_eq!(t.screen().contents(), "one\ntwo\nthree");
    t.process(b"\x1b[2J\x1b[H");
    assert_eq!(t.screen().contents(), "");
    assert_eq!(t.screen().cursor_position(), (0, 0));
    t.process(b"abcdef\x1b[3D\x1b[K");
    assert_eq!(row(&t, 0), "abc");
    t.process(b"\r\nxyz\x1b[1K");
    assert_eq!(row(&t, 1), "");
}

#[test]
fn alternate_screen_restores_the_shell_screen() {
    let mut t = Terminal::new(5, 30);
    t.process(b"$ docker run -it busybox top\r\n");
    assert!(!t.screen().alternate_screen());
    t.process(b"\x1b[?1049h\x1b[H\x1b[2JMem: 100K used\r\nPID USER");
    assert!(t.screen().alternate_screen());
    assert_eq!(row(&t, 0), "Mem: 100K used");
    assert!(!t.screen().contents().contains("docker run"));
    t.process(b"\x1b[?1049l");
    assert!(!t.screen().alternate_screen());
    assert_eq!(row(&t, 0), "$ docker run -it busybox top");
    assert!(!t.screen().contents().contains("Mem:"));
}

#[test]
fn docker_build_progress_redraws_in_place() {
    let mut t = Terminal::new(8, 60);
    // classic builder style: one line rewritten with \r and erase-line
    t.process(b"Sending build context to Docker daemon  2.048kB\r\x1b[K");
    t.process(b"Sending build context to Docker daemon  4.1MB\r\n");
    // BuildKit style: a block of lines redrawn by moving the cursor up
    t.process(b"[+] Building 0.1s (1/3)\r\n => [internal] load build definition   0.0s\r\n => [build 1/2] FROM golang   0.1s\r\n");
    t.process(b"\x1b[3A\x1b[K[+] Building 1.4s (3/3) FINISHED\r\n\x1b[K => [internal] load build definition   0.0s\r\n\x1b[K => [build 2/2] RUN go build   1.2s\r\n");
    assert_eq!(row(&t, 0), "Sending build context to Docker daemon  4.1MB");
    assert_eq!(row(&t, 1), "[+] Building 1.4s (3/3) FINISHED");
    assert_eq!(row(&t, 2), " => [internal] load build definition   0.0s");
    assert_eq!(row(&t, 3), " => [build 2/2] RUN go build   1.2s");
    assert_eq!(row(&t, 4), "");
    // a docker pull progress bar redrawn with \r only
    t.process(b"abc123: Downloading [=>     ]  1MB/9MB\r");
    t.process(b"abc123: Downloading [====> ]  7MB/9MB\r");
    t.process(b"abc123: Pull complete\x1b[K\r\n");
    assert_eq!(row(&t, 4), "abc123: Pull complete");
}

#[test]
fn modes_programs_enable_are_visible() {
    let mut t = Terminal::new(5, 20);
    assert!(!t.screen().application_cursor());
    assert!(!t.screen().bracketed_paste());
    t.process(b"\x1b[?1h\x1b[?2004h");
    assert!(t.screen().application_cursor());
    assert!(t.screen().bracketed_paste());
    t.process(b"\x1b[?1l\x1b[?2004l");
    assert!(!t.screen().application_cursor());
    assert!(!t.screen().bracketed_paste());
}

#[test]
fn output_split_anywhere_is_the_same() {
    let recorded =
        "\x1b[1;34mcalc-app-small\x1b[0m  1.3MB ✔ 日本\r\n\x1b[2K\x1b[32mdone\x1b[0m\r\n"
            .as_bytes()
            .to_vec();
    let mut whole = Terminal::new(4, 40);
    whole.process(&recorded);
    let mut split = Terminal::new(4, 40);
    for b in &recorded {
        split.process(std::slice::from_ref(b));
    }
    assert_eq!(whole.screen().contents(), split.screen().contents());
    assert_eq!(row(&split, 0), "calc-app-small  1.3MB ✔ 日本");
    assert_eq!(
        split.screen().cell(0, 0).expect("cell").fgcolor(),
        vt100::Color::Idx(4)
    );
    assert_eq!(row(&split, 1), "done");
}

#[test]
fn scrollback_keeps_history() {
    let mut t = Terminal::new(5, 20);
    for i in 0..50 {
        t.process(format!("line {i}\r\n").as_bytes());
    }
    assert_eq!(row(&t, 3), "line 49");
    t.scroll_back(10);
    assert_eq!(t.screen().scrollback(), 10);
    assert_eq!(row(&t, 3), "line 39");
    // new output while scrolled back keeps the view where it is
    t.process(b"line 50\r\n");
    assert_eq!(row(&t, 3), "line 39");
    assert_eq!(t.screen().scrollback(), 11);
    t.scroll_back(-4);
    assert_eq!(row(&t, 3), "line 43");
    // clamped at both ends
    t.scroll_back(10_000);
    assert_eq!(t.screen().scrollback(), 47);
    assert_eq!(row(&t, 0), "line 0");
    t.scroll_back(-10_000);
    assert_eq!(t.screen().scrollback(), 0);
    t.scroll_back(3);
    t.scroll_to_live();
    assert_eq!(row(&t, 3), "line 50");
}

#[test]
fn scrollback_is_bounded() {
    let mut t = Terminal::new(3, 10);
    for i in 0..(SCROLLBACK_LINES + 500) {
        t.process(format!("{i}\r\n").as_bytes());
    }
    t.scroll_back(isize::MAX);
    assert_eq!(t.screen().scrollback(), SCROLLBACK_LINES);
}

#[test]
fn resize_keeps_what_fits() {
    let mut t = Terminal::new(5, 20);
    t.process(b"hello world\r\nsecond");
    t.resize(5, 5);
    assert_eq!(t.screen().size(), (5, 5));
    assert_eq!(row(&t, 0), "hello");
    // like xterm, no reflow: the shell redraws its line after SIGWINCH
    t.resize(10, 30);
    assert_eq!(t.screen().size(), (10, 30));
    assert_eq!(row(&t, 1), "secon");
    t.process(b"\rsecond line");
    assert_eq!(row(&t, 1), "second line");
    t.resize(0, 0);
    assert_eq!(t.screen().size(), (1, 1));
}

#[test]
fn queries_get_answers_and_titles_are_sanitized() {
    let mut t = Terminal::new(5, 20);
    assert_eq!(t.process(b"\x1b[c"), b"\x1b[?62;22c");
    assert_eq!(t.process(b"\x1b[5n"), b"\x1b[0n");
    assert_eq!(t.process(b"\x1b[2;7H\x1b[6n"), b"\x1b[2;7R");
    assert!(t.process(b"plain text").is_empty());
    t.process(b"\x1b]0;build \x1b[31m\x07");
    // the ESC inside the title ended the OSC; what was kept is clean
    let title = t.title().expect("title").to_string();
    assert!(!title.contains('\x1b'), "{title:?}");
    assert!(title.starts_with("build"));
    t.process(b"\x07");
    assert!(t.take_bell());
    assert!(!t.take_bell());
}

#[test]
fn paste_is_bracketed_only_when_enabled() {
    assert_eq!(paste_bytes("a\nb", false), b"a\rb");
    assert_eq!(paste_bytes("a\r\nb", false), b"a\rb");
    assert_eq!(paste_bytes("a\nb", true), b"\x1b[200~a\rb\x1b[201~");
    // a pasted end marker cannot end the paste early
    assert_eq!(
        paste_bytes("x\x1b[201~rm -rf ~\n", true),
        b"\x1b[200~xrm -rf ~\r\x1b[201~"
    );
}
