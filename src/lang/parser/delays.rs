//! Random delays after `every` (`uniform(50ms..150ms)`, `exp(100ms)`,
//! `lognormal(100ms, p99 1s)`, any of them or a fixed delay with
//! `spike 1% 2s`), and the program's `seed` line.

use super::{Parsed, Parser, Reported};
use crate::distribution::{Distribution, Spike, Spread};
use crate::lang::lexer::TokenKind;
use crate::program::Delays;

const SPREADS: [&str; 3] = ["uniform", "exp", "lognormal"];

impl Parser<'_> {
    /// What follows `every`: `D`, a distribution, and an optional spike.
    pub(super) fn every_delays(&mut self) -> Parsed<Delays> {
        let start = self.span();
        let word = self.text_of(start).to_string();
        let spread = if *self.kind() == TokenKind::Ident
            && *self.nth_kind(1) == TokenKind::LParen
            && SPREADS.contains(&word.as_str())
        {
            self.spread(&word)?
        } else {
            Spread::Fixed(self.duration()?)
        };
        let spike = match self.eat_word("spike") {
            Some(_) => Some(self.spike()?),
            None => None,
        };
        if let (Spread::Fixed(ms), None) = (spread, spike) {
            return Ok(Delays::Every(ms));
        }
        let distribution = Distribution { spread, spike };
        if let Some(message) = distribution.problem() {
            self.error(start.to(self.previous_end()), message);
            return Err(Reported);
        }
        Ok(Delays::Drawn(distribution))
    }

    fn spread(&mut self, word: &str) -> Parsed<Spread> {
        self.call(|p| match word {
            "uniform" => {
                let low = p.duration()?;
                p.expect(
                    &TokenKind::DotDot,
                    "'..' between the shortest and longest delay",
                )?;
                let high = p.duration()?;
                Ok(Spread::Uniform { low, high })
            }
            "exp" => Ok(Spread::Exp {
                mean: p.duration()?,
            }),
            _ => {
                let median = p.duration()?;
                p.expect(
                    &TokenKind::Comma,
                    "',' and the 99th percentile, like p99 1s",
                )?;
                if p.eat_word("p99").is_none() {
                    return Err(p.expected("'p99' and a duration, like p99 1s"));
                }
                let p99 = p.duration()?;
                Ok(Spread::LogNormal { median, p99 })
            }
        })
    }

    /// `P% D` after `spike`.
    fn spike(&mut self) -> Parsed<Spike> {
        let TokenKind::Number(percent) = *self.kind() else {
            return Err(self.expected("a percentage like 1% after 'spike'"));
        };
        self.bump();
        self.expect(&TokenKind::Percent, "'%' after the spike's chance, like 1%")?;
        let ms = self.duration()?;
        Ok(Spike { percent, ms })
    }

    /// `seed N` on a line of its own: picks the program's random delays.
    pub(super) fn seed_line(&mut self, seed: &mut Option<u64>) -> Parsed<()> {
        let word = self.bump();
        let value = self.whole("the seed")?;
        if seed.is_some() {
            let span = word.to(self.previous_end());
            self.error(span, "the seed is already set above; keep one 'seed' line");
            return Err(Reported);
        }
        *seed = Some(value);
        Ok(())
    }
}
