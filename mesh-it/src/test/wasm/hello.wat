;; A WASI command: writes its greeting to stdout, one line to stderr, and echoes its stdin after the greeting;
;; exits with status 0 by returning from _start.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello from wasm\n")
  (data (i32.const 96) "a line on stderr\n")
  ;; iovec at 0: (pointer, length); the count of bytes written at 8
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (local $n i32)
    (call $write (i32.const 1) (i32.const 64) (i32.const 16))
    (call $write (i32.const 2) (i32.const 96) (i32.const 17))
    ;; read up to 1024 bytes of stdin into 1024.., echo them to stdout
    (i32.store (i32.const 16) (i32.const 1024))
    (i32.store (i32.const 20) (i32.const 1024))
    (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (local.set $n (i32.load (i32.const 24)))
    (if (i32.gt_u (local.get $n) (i32.const 0))
      (then (call $write (i32.const 1) (i32.const 1024) (local.get $n))))))
