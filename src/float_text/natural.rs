//! The integers Dragon4 works in: `u64` and `u128` for the common
//! magnitudes, a fixed-size bignum ([`Big`]) for the rest.

use std::cmp::Ordering;

/// What Dragon4 does with its numbers: [`Big`] holds any, `u64` and `u128`
/// the common ones fast.
pub(super) trait Natural: Copy {
    fn new(value: u64) -> Self;
    fn shl(&mut self, bits: u32);
    fn mul_small(&mut self, factor: u32);
    fn mul_pow10(&mut self, mut power: u32) {
        while power > 9 {
            self.mul_small(1_000_000_000);
            power -= 9;
        }
        self.mul_small(10u32.pow(power));
    }
    fn sum(&self, other: &Self) -> Self;
    /// `self -= other`, where `other <= self`.
    fn sub(&mut self, other: &Self);
    fn compare(&self, other: &Self) -> Ordering;
}

impl Natural for u128 {
    fn new(value: u64) -> u128 {
        value.into()
    }

    fn shl(&mut self, bits: u32) {
        *self <<= bits;
    }

    fn mul_small(&mut self, factor: u32) {
        *self *= u128::from(factor);
    }

    fn sum(&self, other: &u128) -> u128 {
        self + other
    }

    fn sub(&mut self, other: &u128) {
        *self -= other;
    }

    fn compare(&self, other: &u128) -> Ordering {
        self.cmp(other)
    }
}

impl Natural for u64 {
    fn new(value: u64) -> u64 {
        value
    }

    fn shl(&mut self, bits: u32) {
        *self <<= bits;
    }

    fn mul_small(&mut self, factor: u32) {
        *self *= u64::from(factor);
    }

    fn sum(&self, other: &u64) -> u64 {
        self + other
    }

    fn sub(&mut self, other: &u64) {
        *self -= other;
    }

    fn compare(&self, other: &u64) -> Ordering {
        self.cmp(other)
    }
}

/// Limbs for the largest numbers either mode holds: 2^1077 × 10^18 < 2^1280.
const LIMBS: usize = 40;

/// A non-negative integer of up to [`LIMBS`] 32-bit limbs, least first.
#[derive(Clone, Copy)]
pub(super) struct Big {
    len: usize,
    limbs: [u32; LIMBS],
}

impl Big {
    pub(super) fn is_zero(&self) -> bool {
        self.len == 0
    }

    fn trim(&mut self) {
        while self.len > 0 && self.limbs[self.len - 1] == 0 {
            self.len -= 1;
        }
    }

    pub(super) fn shr(&mut self, bits: u32) {
        let words = ((bits / 32) as usize).min(self.len);
        self.limbs.copy_within(words..self.len, 0);
        self.limbs[self.len - words..self.len].fill(0);
        self.len -= words;
        let bits = bits % 32;
        if bits > 0 {
            let mut carry = 0;
            for limb in self.limbs[..self.len].iter_mut().rev() {
                let next = *limb << (32 - bits);
                *limb = (*limb >> bits) | carry;
                carry = next;
            }
            self.trim();
        }
    }

    pub(super) fn bit(&self, index: u32) -> bool {
        let word = (index / 32) as usize;
        word < self.len && self.limbs[word] >> (index % 32) & 1 == 1
    }

    /// Divides in place; returns the remainder.
    pub(super) fn div_small(&mut self, divisor: u32) -> u32 {
        let mut remainder = 0u64;
        for limb in self.limbs[..self.len].iter_mut().rev() {
            let current = remainder << 32 | u64::from(*limb);
            *limb = (current / u64::from(divisor)) as u32;
            remainder = current % u64::from(divisor);
        }
        self.trim();
        remainder as u32
    }
}

impl Natural for Big {
    fn new(value: u64) -> Big {
        let mut big = Big {
            len: 2,
            limbs: [0; LIMBS],
        };
        big.limbs[0] = value as u32;
        big.limbs[1] = (value >> 32) as u32;
        big.trim();
        big
    }

    fn mul_small(&mut self, factor: u32) {
        let mut carry = 0;
        for limb in &mut self.limbs[..self.len] {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.limbs[self.len] = carry as u32;
            self.len += 1;
        }
    }

    fn shl(&mut self, bits: u32) {
        let words = (bits / 32) as usize;
        if self.len > 0 && words > 0 {
            self.limbs.copy_within(..self.len, words);
            self.limbs[..words].fill(0);
            self.len += words;
        }
        self.mul_small(1 << (bits % 32));
    }

    fn sum(&self, other: &Big) -> Big {
        let mut sum = *self;
        sum.len = self.len.max(other.len);
        let mut carry = 0;
        for (limb, add) in sum.limbs[..sum.len].iter_mut().zip(other.limbs) {
            let total = u64::from(*limb) + u64::from(add) + carry;
            *limb = total as u32;
            carry = total >> 32;
        }
        if carry > 0 {
            sum.limbs[sum.len] = 1;
            sum.len += 1;
        }
        sum
    }

    fn sub(&mut self, other: &Big) {
        let mut borrow = 0;
        for (limb, take) in self.limbs[..self.len].iter_mut().zip(other.limbs) {
            let (difference, under) = limb.overflowing_sub(take);
            let (difference, under_again) = difference.overflowing_sub(borrow);
            *limb = difference;
            borrow = u32::from(under || under_again);
        }
        self.trim();
    }

    fn compare(&self, other: &Big) -> Ordering {
        self.len.cmp(&other.len).then_with(|| {
            self.limbs[..self.len]
                .iter()
                .rev()
                .cmp(other.limbs[..other.len].iter().rev())
        })
    }
}
