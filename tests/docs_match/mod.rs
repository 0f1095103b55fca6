//! The docs match the binary: every `hmsaccess …` command written in the README, the user guide
//! and the service-desk guide is parsed by the binary's own command-line definition (a renamed
//! or removed flag fails here), the README's example output is the committed example (itself
//! pinned to the renderer by `docs_examples`), and the README's exit list names every verdict's
//! code, write failures and Ctrl-C.

use std::path::Path;

use clap::Parser;
use hmsaccess::cli::Cli;
use hmsaccess::report::model::VerdictCode;
use regex::Regex;

const DOCS: [&str; 3] = ["README.md", "docs/user-guide.md", "docs/service-desk.md"];

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A doc split into its prose (fenced code blocks removed) and its code-block lines.
fn split(text: &str) -> (String, Vec<String>) {
    let (mut prose, mut block) = (String::new(), Vec::new());
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if in_block {
            block.push(line.trim().to_owned());
        } else {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    (prose, block)
}

/// Inline code spans of the prose.
fn spans(prose: &str) -> Vec<String> {
    let inline = Regex::new(r"`([^`\n]+)`").unwrap();
    inline
        .captures_iter(prose)
        .map(|c| c[1].to_owned())
        .collect()
}

/// Every command a doc shows: inline code and code-block lines that start with `hmsaccess`.
fn commands(text: &str) -> Vec<String> {
    let (prose, block) = split(text);
    let is_command = |s: &String| s == "hmsaccess" || s.starts_with("hmsaccess ");
    let mut found: Vec<String> = spans(&prose).into_iter().filter(is_command).collect();
    found.extend(block.into_iter().filter(is_command));
    found
}

/// A documented command as words to parse: placeholders filled, optional brackets and
/// ellipses dropped, redirections and pipes cut off.
fn words(command: &str) -> Vec<String> {
    let command = command
        .split(['>', '|', '#'])
        .next()
        .unwrap_or(command)
        .replace(['…', '[', ']'], "");
    command
        .split_whitespace()
        .map(|w| match w {
            "FILE" => "r.json".to_owned(),
            "SECS" => "2".to_owned(),
            "SHELL" => "bash".to_owned(),
            "CODE" => "offline".to_owned(),
            "DATE" | "WHEN" => "2026-11-01".to_owned(),
            "CAUSE" => "mars-down".to_owned(),
            "WHO" => "hms-it".to_owned(),
            "ORDER" => "cause".to_owned(),
            "N" => "10".to_owned(),
            "auto|always|never" => "auto".to_owned(),
            other => other.to_owned(),
        })
        .collect()
}

#[test]
fn every_documented_command_parses() {
    let mut checked = 0;
    for doc in DOCS {
        for command in commands(&read(doc)) {
            let words = words(&command);
            // `hmsaccess completions SHELL, hmsaccess man` and the like: each part alone.
            for part in words.join(" ").split(", ") {
                let part: Vec<&str> = part.split_whitespace().collect();
                if let Err(e) = Cli::try_parse_from(&part) {
                    // --help and --version "fail" to clap with exit 0: documented, fine.
                    assert!(!e.use_stderr(), "{doc}: `{command}` does not parse:\n{e}");
                }
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 20,
        "only {checked} commands found: is the extraction broken?"
    );
}

#[test]
fn the_extraction_finds_what_it_should() {
    let text = "Run `hmsaccess diagnose --save` or\n```sh\nhmsaccess explain --summary a.json > t.csv\n```\n`hmsaccess-report-1.json`";
    assert_eq!(
        commands(text),
        [
            "hmsaccess diagnose --save",
            "hmsaccess explain --summary a.json > t.csv"
        ]
    );
    assert_eq!(
        words("hmsaccess explain FILE… [--json] > x"),
        ["hmsaccess", "explain", "r.json", "--json"]
    );
    assert!(Cli::try_parse_from(["hmsaccess", "diagnose", "--no-such-flag"]).is_err());
}

#[test]
fn the_readme_shows_the_committed_example() {
    let readme = read("README.md");
    let example = read("docs/examples/needs-hms-vpn.txt");
    assert!(
        readme.contains(&format!("```\n{example}```")),
        "README.md's 'What it prints' is not docs/examples/needs-hms-vpn.txt; copy it over"
    );
}

#[test]
fn the_readme_exit_list_is_complete() {
    let readme = read("README.md");
    let start = readme.find("Exit status:").expect("an exit list");
    let list: String = readme[start..]
        .split("\n\n")
        .next()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for code in VerdictCode::ALL {
        assert!(
            list.contains(&format!("{} `{code}`", code.exit_code()))
                || list.contains(&format!("`{code}`"))
                    && list.contains(&code.exit_code().to_string()),
            "README's exit list lacks {code} ({})",
            code.exit_code()
        );
    }
    for must in [
        "2 usage error",
        "3 unreadable",
        "1 internal",
        "cannot be written",
        "Ctrl-C",
    ] {
        assert!(
            list.contains(must),
            "README's exit list lacks {must:?}:\n{list}"
        );
    }
}

/// Every `--flag` the docs mention (in code) is an option of the binary.
#[test]
fn every_documented_flag_exists() {
    use clap::CommandFactory;
    let mut known: Vec<String> = vec!["help".into(), "version".into()];
    let cli = Cli::command();
    let mut commands = vec![&cli];
    while let Some(c) = commands.pop() {
        known.extend(
            c.get_arguments()
                .filter_map(|a| a.get_long().map(str::to_owned)),
        );
        commands.extend(c.get_subcommands());
    }
    let flag = Regex::new(r"(?:^|\s)--([a-z][a-z-]*)").unwrap();
    let mut seen = 0;
    for doc in DOCS {
        let (prose, block) = split(&read(doc));
        // Inline code, and the commands of code blocks; not other programs' own flags (cargo,
        // the scripts, macOS's `scutil --proxy`, openconnect).
        let others = ["cargo", "scripts/", "scutil ", "openconnect "];
        let spans = spans(&prose)
            .into_iter()
            .chain(block.into_iter().filter(|l| l.starts_with("hmsaccess ")))
            .filter(|s| !others.iter().any(|o| s.starts_with(o)));
        for span in spans {
            for f in flag.captures_iter(&span) {
                assert!(
                    known.iter().any(|k| k == &f[1]),
                    "{doc}: `--{}` is not an option of hmsaccess",
                    &f[1]
                );
                seen += 1;
            }
        }
    }
    assert!(seen >= 15, "only {seen} flags found");
}
