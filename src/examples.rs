//! The built-in examples: program texts under `www/examples/`, compiled in.
//!
//! Each file starts with `# title:`, `# ideal:` and one `# result:` line per
//! statement; `tests/examples.rs` runs every example on the virtual clock and
//! holds it to those lines. The I/O examples (`io-*`) need the browser: their
//! ideal is `unknown (real I/O)`, since no simulation times real I/O.

/// One built-in example.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// The file name without `.apg`, also its id in share links.
    pub name: &'static str,
    pub text: &'static str,
}

impl Example {
    /// The value of a `# key: value` header line, if present.
    ///
    /// ```
    /// use async_playground::examples::EXAMPLES;
    /// assert_eq!(EXAMPLES[1].header("ideal"), Some("3s"));
    /// ```
    pub fn header(&self, key: &str) -> Option<&'static str> {
        self.headers(key).next()
    }

    /// Every value of a repeated header, such as `result`.
    pub fn headers<'k>(&self, key: &'k str) -> impl Iterator<Item = &'static str> + 'k {
        let text: &'static str = self.text;
        text.lines()
            .map_while(|line| line.strip_prefix('#'))
            .filter_map(move |line| {
                let (name, value) = line.trim().split_once(':')?;
                (name == key).then(|| value.trim())
            })
    }

    pub fn title(&self) -> &'static str {
        self.header("title").unwrap_or(self.name)
    }
}

macro_rules! examples {
    ($($name:literal),* $(,)?) => {
        /// In display order: the post's lessons first.
        pub const EXAMPLES: &[Example] = &[$(Example {
            name: $name,
            text: include_str!(concat!("../www/examples/", $name, ".apg")),
        }),*];
    };
}

examples![
    "sequential",
    "gather",
    "io-aiohttp",
    "aggregators",
    "blocking",
    "race",
    "limit",
    "timeout",
    "gather-error",
    "merge",
    "fanout",
    "fanout-tail",
    "hedge-tail",
    "transforms",
    "io-csv-stats",
    "io-limit",
    "io-timeout",
    "io-db",
    "io-errors",
];
