/** {@code mesh bench}: scenarios that start (or target) a real mesh and report RESULT lines. */
package org.planetarymesh.bench;
