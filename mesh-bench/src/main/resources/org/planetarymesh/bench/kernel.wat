;; A CPU-bound kernel: iterates x := x * 6364136223846793005 + 1442695040888963407 (Knuth's MMIX LCG) n times from
;; seed and returns x xor (x >> 29) summed over the steps, so no step can be skipped.
(module
  (func (export "lcg") (param $seed i64) (param $n i64) (result i64)
    (local $x i64) (local $acc i64)
    (local.set $x (local.get $seed))
    (block $done
      (loop $next
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 6364136223846793005))
                               (i64.const 1442695040888963407)))
        (local.set $acc (i64.add (local.get $acc)
                                 (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 29)))))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $next)))
    (local.get $acc))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "half") (param f64) (result f64)
    (f64.mul (local.get 0) (f64.const 0.5))))
