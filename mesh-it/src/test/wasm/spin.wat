;; Never ends: only an interrupt (timeout, cancel) or a fuel budget stops it.
(module
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "_start") (loop $forever (br $forever))))
