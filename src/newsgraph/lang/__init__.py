"""Beyond English: language identification, scripts, and the per-language plan of stages.

* ``detect``      which language a document is in (CLD2), with confidence and basis;
* ``scripts``     counting and tokenising text in scripts written without spaces (CJK, Thai);
* ``plan``        ``plan_for(language)``: which stages run on a document of that language;
* ``kbmatch``     knowledge-base names in any language, with the noise rules for short aliases;
* ``entities``, ``timex``, ``quantities``, ``quotes``: the language-independent stages;
* ``models``      spaCy NER pipelines of other languages (French);
* ``conventions`` per-language data (kb/languages.yaml) and the function-word test.
"""
