"""The review domain: the dataset lifecycle as one transition table (draft → submitted →
changes requested → published → withdrawn), who may make each move, the guards, and the
ReviewEvent each move writes."""
