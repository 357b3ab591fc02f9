// A dedicated worker of a ground-truth program: the same runtime as the frames.
importScripts('gt.js');
